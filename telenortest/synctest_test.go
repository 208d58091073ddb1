package telenortest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/telenor-go/telenor/internal/memhttp"
)

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
