package telenor

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// parallelCallers is how many goroutines BenchmarkParallelUserInfo runs.
const parallelCallers = 64

// BenchmarkParallelUserInfo has 64 goroutines calling UserInfo at once on
// a loopback fake (plain HTTP/1.1), in the same run: the SDK with its
// default HTTP client (Config.HTTPClient nil), and the tuned baseline, a
// hand-written GET with encoding/json through oauth2.NewClient over a
// clone of http.DefaultTransport with the same idle pool (64 per host)
// and the same 60-second client timeout.
// conns/1k-req is the connections the server accepted per 1,000
// requests: what a pool too small for the callers costs.
func BenchmarkParallelUserInfo(b *testing.B) {
	fake := telenortest.NewUnstartedServer()
	ws := newWireServer(b, fake.Handler().ServeHTTP)
	tok := &oauth2.Token{AccessToken: fake.IssueUserToken(), Expiry: time.Now().Add(time.Hour)}
	ctx := context.Background()
	b.Run("impl=SDK-default-client", func(b *testing.B) {
		cli, err := NewClient(Config{ClientID: telenortest.DefaultClientID,
			ClientSecret: telenortest.DefaultClientSecret, BaseURL: ws.URL})
		if err != nil {
			b.Fatal(err)
		}
		defer cli.httpClient.CloseIdleConnections()
		s := cli.RestoreUserSession(tok)
		runCallers(b, ws, func() error {
			_, err := s.UserInfo(ctx)
			return err
		})
	})
	b.Run("impl=oauth2.NewClient-64-idle", func(b *testing.B) {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = parallelCallers
		defer tr.CloseIdleConnections()
		hc := oauth2.NewClient(context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: tr, Timeout: time.Minute}),
			oauth2.StaticTokenSource(tok))
		runCallers(b, ws, func() error { return plainUserInfo(ctx, hc, ws.URL+telenortest.UserInfoPath) })
	})
}

// runCallers runs op on parallelCallers goroutines until b.N is reached
// and reports the connections ws accepted per 1,000 requests.
func runCallers(b *testing.B, ws *wireServer, op func() error) {
	b.SetParallelism((parallelCallers + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	conns := ws.conns.Load()
	runParallel(b, op)
	b.StopTimer()
	b.ReportMetric(float64(ws.conns.Load()-conns)*1000/float64(b.N), "conns/1k-req")
}
