package telenortest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/telenor-go/telenor/internal/memhttp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// passwordForm is a valid password-grant form for the default user.
func passwordForm() url.Values {
	return url.Values{
		"grant_type": {"password"},
		"username":   {DefaultUsername},
		"password":   {DefaultPassword},
	}
}

// tokenRequest builds a token request with the given client credentials
// (escaped as golang.org/x/oauth2 does).
func tokenRequest(t *testing.T, ctx context.Context, base, path string, form url.Values, id, secret string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return req
}

// do sends req with c and returns the response with its body read.
func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, body
}

// postToken requests a token from srv for the default client.
func postToken(t *testing.T, srv *Server, path string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	req := tokenRequest(t, context.Background(), srv.URL, path, form, DefaultClientID, DefaultClientSecret)
	return do(t, srv.Client(), req)
}

// decode unmarshals body into a generic JSON object.
func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", body, err)
	}
	return m
}

// wantStatus fails the test unless resp has status want.
func wantStatus(t *testing.T, resp *http.Response, body []byte, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, want, body)
	}
}

// waitUntil polls cond until it holds. It asserts nothing about time;
// the test's own timeout bounds it.
func waitUntil(cond func() bool) {
	for !cond() {
		time.Sleep(time.Millisecond)
	}
}

// fakeBase is any base URL: in-process clients ignore the host.
const fakeBase = "http://telenortest.invalid"

func TestVirtualTimeDelayAndHang(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewUnstartedServer()
		defer srv.Close()
		c := &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}}

		srv.Fail(PasswordTokenPath, 1, Fault{Delay: 10 * time.Minute})
		start := time.Now()
		req := tokenRequest(t, t.Context(), fakeBase, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
		resp, body := do(t, c, req)
		wantStatus(t, resp, body, http.StatusOK)
		if got := time.Since(start); got != 10*time.Minute {
			t.Errorf("virtual time passed = %v, want 10m", got)
		}

		srv.Fail(PasswordTokenPath, 1, Fault{Hang: true})
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		start = time.Now()
		req = tokenRequest(t, ctx, fakeBase, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("hung request answered %d", resp.StatusCode)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("virtual time passed = %v, want 30s", got)
		}
		if got := srv.TokenRequests(); got != 2 {
			t.Errorf("TokenRequests = %d, want 2", got)
		}
	})
}

func TestUnstartedClientInProcess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewUnstartedServer(WithExpiresInString())
		defer srv.Close()
		if srv.URL != "" {
			t.Errorf("URL = %q before Start", srv.URL)
		}
		c := srv.Client()

		resp, body := do(t, c, tokenRequest(t, t.Context(), fakeBase, TokenPath, passwordForm(), DefaultClientID, DefaultClientSecret))
		wantStatus(t, resp, body, http.StatusOK)
		if m := decode(t, body); m["expires_in"] != "3599" {
			t.Errorf("body = %s", body)
		}

		// Reset cannot hijack in-process: it becomes a connection reset.
		srv.Fail(TokenPath, 1, Fault{Reset: true})
		_, err := c.Do(tokenRequest(t, t.Context(), fakeBase, TokenPath, passwordForm(), DefaultClientID, DefaultClientSecret))
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("Reset: err = %v, want ECONNRESET", err)
		}

		// A huge body streams through the in-process transport.
		srv.Fail(TokenPath, 1, Fault{Size: 1 << 40})
		resp, err = c.Do(tokenRequest(t, t.Context(), fakeBase, TokenPath, passwordForm(), DefaultClientID, DefaultClientSecret))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := io.CopyN(io.Discard, resp.Body, 4<<20); n != 4<<20 || err != nil {
			t.Errorf("read %d bytes: %v", n, err)
		}
		resp.Body.Close()

		// Close ends a hung in-process request with a reset.
		srv.Fail(TokenPath, 1, Fault{Hang: true})
		errc := make(chan error, 1)
		go func() {
			resp, err := c.Do(tokenRequest(t, context.Background(), fakeBase, TokenPath, passwordForm(), DefaultClientID, DefaultClientSecret))
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		synctest.Wait() // the request is now hung
		srv.Close()
		if err := <-errc; !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("hung request after Close: err = %v, want ECONNRESET", err)
		}
	})
}

func TestStartAfterCloseOrTwicePanics(t *testing.T) {
	srv := NewServer()
	mustPanic(t, "second Start", srv.Start)
	srv.Close()
	mustPanic(t, "Start after Close", srv.Start)

	unstarted := NewUnstartedServer()
	unstarted.Close()
	unstarted.Close()
	mustPanic(t, "Start after Close", unstarted.Start)
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func TestConcurrentRequests(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	const workers, each = 16, 20

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			path := PasswordTokenPath
			if w%2 == 1 {
				path = TokenPath
			}
			for i := range each {
				if i%5 == 0 {
					srv.Fail(path, 1, Fault{Status: 503, Shape: ShapeApigee})
				}
				req := tokenRequest(t, context.Background(), srv.URL, path, passwordForm(), DefaultClientID, DefaultClientSecret)
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var tok struct {
					AccessToken string `json:"access_token"`
				}
				err = json.NewDecoder(resp.Body).Decode(&tok)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					if err != nil {
						t.Error(err)
						continue
					}
					srv.Revoke(tok.AccessToken)
					srv.Expire(tok.AccessToken)
					if info, ok := srv.LookupToken(tok.AccessToken); !ok || !info.Revoked {
						t.Errorf("LookupToken = %+v, %v", info, ok)
					}
				}
				srv.SetTokenLifetime(time.Duration(i) * time.Second)
				_ = srv.Requests(path)
			}
		})
	}
	wg.Wait()
	if got := srv.TokenRequests(); got != workers*each {
		t.Errorf("TokenRequests = %d, want %d", got, workers*each)
	}
}

func TestNotFound(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	resp, body := do(t, srv.Client(), must(http.NewRequest(http.MethodGet, srv.URL+"/nope", nil)))
	wantStatus(t, resp, body, http.StatusNotFound)
	fault, _ := decode(t, body)["fault"].(map[string]any)
	if !strings.Contains(fault["faultstring"].(string), "/nope") {
		t.Errorf("body = %s", body)
	}
	if srv.Requests("/nope") != 1 || srv.TokenRequests() != 0 {
		t.Errorf("counters: /nope %d, token %d", srv.Requests("/nope"), srv.TokenRequests())
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
