package telenor

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// The benchmarks in this file put the SDK next to what Go code would
// otherwise use, on the same loopback telenortest server in the same run.
// Each has sub-benchmarks impl=<SDK> and impl=<baseline>; scripts/bench
// runs them and prints the ratios.

// benchServer starts a loopback server and returns it with an HTTP client
// that keeps enough idle connections for -cpu 64, so every implementation
// measures its own cost rather than connection churn.
func benchServer(b *testing.B) (*telenortest.Server, *http.Client) {
	b.Helper()
	srv := telenortest.NewServer()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 512, 512
	b.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return srv, &http.Client{Transport: tr}
}

// benchClient is an SDK Client for srv that uses hc.
func benchClient(b *testing.B, srv *telenortest.Server, hc *http.Client) *Client {
	b.Helper()
	return newTestClient(b, srv, func(c *Config) { c.HTTPClient = hc })
}

// getAndDrain runs one GET of url through hc, reading the whole body.
func getAndDrain(ctx context.Context, hc *http.Client, url string, header func(*http.Request)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if header != nil {
		header(req)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return &APIError{Method: req.Method, Path: req.URL.Path, StatusCode: resp.StatusCode}
	}
	return nil
}

// runParallel runs op on every -cpu goroutine until b.N is reached.
func runParallel(b *testing.B, op func() error) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkAuthorizedGET compares one authorized GET of the user-info URL
// through UserSession.HTTPClient with x/oauth2's Transport (oauth2.NewClient
// with a static token) and with raw net/http setting the header by hand.
func BenchmarkAuthorizedGET(b *testing.B) {
	srv, hc := benchServer(b)
	cli := benchClient(b, srv, hc)
	user := userSession(cli, srv)
	tok, err := user.Token(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	benchGET(b, user.HTTPClient(), hc, tok, srv.URL+telenortest.UserInfoPath)
}

// benchGET runs one authorized GET of url three ways: through the SDK's
// client sdk, through x/oauth2's Transport over hc, and through hc with
// the header set by hand.
func benchGET(b *testing.B, sdk, hc *http.Client, tok *oauth2.Token, url string) {
	ctx := context.Background()
	b.Run("impl=Session.HTTPClient", func(b *testing.B) {
		runParallel(b, func() error { return getAndDrain(ctx, sdk, url, nil) })
	})
	b.Run("impl=oauth2.Transport", func(b *testing.B) {
		o := oauth2.NewClient(context.WithValue(ctx, oauth2.HTTPClient, hc), oauth2.StaticTokenSource(tok))
		runParallel(b, func() error { return getAndDrain(ctx, o, url, nil) })
	})
	b.Run("impl=raw", func(b *testing.B) {
		runParallel(b, func() error {
			return getAndDrain(ctx, hc, url, func(r *http.Request) {
				r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			})
		})
	})
}

// passwordSource is the token source an app builds from x/oauth2 alone
// for the password grant: oauth2.Config.PasswordCredentialsToken on every
// call, to be wrapped in ReuseTokenSource.
type passwordSource struct {
	ctx  context.Context
	conf *oauth2.Config
}

func (p passwordSource) Token() (*oauth2.Token, error) {
	return p.conf.PasswordCredentialsToken(p.ctx, telenortest.DefaultUsername, telenortest.DefaultPassword)
}

// newPasswordSource returns a password-grant source for the server at
// baseURL, sending through hc.
func newPasswordSource(baseURL string, hc *http.Client) passwordSource {
	return passwordSource{
		ctx: context.WithValue(context.Background(), oauth2.HTTPClient, hc),
		conf: &oauth2.Config{
			ClientID:     telenortest.DefaultClientID,
			ClientSecret: telenortest.DefaultClientSecret,
			Endpoint: oauth2.Endpoint{
				TokenURL:  baseURL + telenortest.PasswordTokenPath,
				AuthStyle: oauth2.AuthStyleInHeader,
			},
		},
	}
}

// BenchmarkColdStampede releases N callers at once on a cold token: a new
// Session, or a new ReuseTokenSource around an oauth2.Config password
// grant. It reports the token requests made per stampede and the maximum
// and 99th-percentile wait of a caller. ReuseTokenSource's mutex
// serialises its callers, so it also makes one request; the waits differ.
func BenchmarkColdStampede(b *testing.B) {
	for _, n := range stampedeBenchSizes() {
		b.Run("N="+strconv.Itoa(n)+"/impl=Session", func(b *testing.B) {
			srv, hc := benchServer(b)
			cli := benchClient(b, srv, hc)
			stampede(b, srv, n, func() func() error {
				s := systemSession(cli)
				return func() error {
					_, err := s.Token(context.Background())
					return err
				}
			})
		})
		b.Run("N="+strconv.Itoa(n)+"/impl=ReuseTokenSource", func(b *testing.B) {
			srv, hc := benchServer(b)
			src := newPasswordSource(srv.URL, hc)
			stampede(b, srv, n, func() func() error {
				ts := oauth2.ReuseTokenSource(nil, src)
				return func() error {
					_, err := ts.Token()
					return err
				}
			})
		})
	}
}

// stampede runs b.N stampedes of n callers of the function fresh returns
// (one cold cache per stampede) and reports requests and waits.
func stampede(b *testing.B, srv *telenortest.Server, n int, fresh func() func() error) {
	waits := make([]time.Duration, 0, n*b.N)
	done := make(chan time.Duration, n)
	b.ResetTimer()
	for range b.N {
		get := fresh()
		start := make(chan struct{})
		for range n {
			go func() {
				<-start
				t0 := time.Now()
				if err := get(); err != nil {
					b.Error(err)
				}
				done <- time.Since(t0)
			}()
		}
		close(start)
		for range n {
			waits = append(waits, <-done)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(srv.TokenRequests())/float64(b.N), "token-requests/op")
	maxWait, p99 := waitStats(waits)
	b.ReportMetric(float64(maxWait.Microseconds()), "max-wait-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-wait-µs")
}

// waitStats returns the largest and the 99th-percentile wait.
func waitStats(w []time.Duration) (maxWait, p99 time.Duration) {
	if len(w) == 0 {
		return 0, 0
	}
	sorted := append([]time.Duration(nil), w...)
	slices.Sort(sorted)
	return sorted[len(sorted)-1], sorted[(len(sorted)*99)/100]
}
