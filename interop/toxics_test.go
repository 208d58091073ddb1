package interop

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// Each toxiproxy toxic between the SDK and the fake gateway, with the
// outcome and the requests that reached the server. Timeouts configured
// here are the behaviour under test or hang guards; no test asserts how
// long anything took.

// TestToxicLatency: a slow network changes nothing but the time taken.
func TestToxicLatency(t *testing.T) {
	p := newProxied(t, nil)
	p.fp.toxic(t, "latency", "downstream", map[string]any{"latency": 150, "jitter": 50})
	p.fp.toxic(t, "latency", "upstream", map[string]any{"latency": 50})
	sys := p.system()
	for i := range 5 {
		if _, err := sys.Organizations(t.Context()); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if _, err := p.user().UserInfo(t.Context()); err != nil {
		t.Fatalf("UserInfo: %v", err)
	}
	wantRequests(t, p.srv, map[string]int{
		telenortest.PasswordTokenPath: 1, telenortest.OrganizationsPath: 5, telenortest.UserInfoPath: 1,
	})
}

// TestToxicBandwidth: a thin pipe delivers every byte; paging through a
// throttled link makes exactly the requests it makes on a fast one.
func TestToxicBandwidth(t *testing.T) {
	const items, pageSize = 300, 100
	direct := newProxied(t, nil, telenortest.WithCompanyData(1, items))
	wantItems := countSubscriptions(t, direct.system(), pageSize)
	wantPages := direct.srv.Requests(telenortest.MobileSubscriptionsPath)

	p := newProxied(t, nil, telenortest.WithCompanyData(1, items))
	p.fp.toxic(t, "bandwidth", "downstream", map[string]any{"rate": 256}) // KB/s
	p.fp.toxic(t, "bandwidth", "upstream", map[string]any{"rate": 1})
	if got := countSubscriptions(t, p.system(), pageSize); got != wantItems || got != items {
		t.Errorf("subscriptions through a 256 KB/s link = %d, want %d", got, items)
	}
	wantRequests(t, p.srv, map[string]int{
		telenortest.PasswordTokenPath: 1, telenortest.MobileSubscriptionsPath: wantPages,
	})
}

func countSubscriptions(t *testing.T, s *telenor.SystemSession, pageSize int) int {
	t.Helper()
	n := 0
	for _, err := range s.MobileSubscriptions(t.Context(), telenor.SubscriptionsOptions{PageSize: pageSize}) {
		if err != nil {
			t.Fatalf("MobileSubscriptions: %v", err)
		}
		n++
	}
	return n
}

// TestToxicBlackhole: the "timeout" toxic swallows every byte. Contract
// item 6: every timeout of the shared token fetch matches ErrTokenTimeout
// and not context.DeadlineExceeded (the caller's context has no deadline).
func TestToxicBlackhole(t *testing.T) {
	t.Run("token response swallowed, TokenTimeout", func(t *testing.T) {
		p := newProxied(t, func(c *telenor.Config) { c.TokenTimeout = time.Second })
		p.fp.toxic(t, "timeout", "downstream", map[string]any{"timeout": 0})
		_, err := p.system().Token(t.Context())
		wantTokenTimeout(t, err)
		wantRequests(t, p.srv, map[string]int{telenortest.PasswordTokenPath: 1})
	})
	t.Run("token request swallowed, TokenTimeout", func(t *testing.T) {
		p := newProxied(t, func(c *telenor.Config) { c.TokenTimeout = time.Second })
		p.fp.toxic(t, "timeout", "upstream", map[string]any{"timeout": 0})
		_, err := p.system().Token(t.Context())
		wantTokenTimeout(t, err)
		wantRequests(t, p.srv, map[string]int{telenortest.PasswordTokenPath: 0})
	})
	t.Run("token response swallowed, http.Client.Timeout", func(t *testing.T) {
		p := newProxied(t, func(c *telenor.Config) {
			c.HTTPClient.Timeout = 750 * time.Millisecond // a common setting (issue 13 §6)
			c.Retry = telenor.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}
		})
		p.fp.toxic(t, "timeout", "downstream", map[string]any{"timeout": 0})
		_, err := p.system().Token(t.Context())
		wantTokenTimeout(t, err)
		if got := p.srv.Requests(telenortest.PasswordTokenPath); got != 3 {
			t.Errorf("contract item 6: token requests = %d, want 3: a timed-out attempt is transient and retried like the others (MaxAttempts 3)", got)
		}
	})
	t.Run("API response swallowed, caller's deadline", func(t *testing.T) {
		p := newProxied(t, nil)
		user := p.user()
		p.fp.toxic(t, "timeout", "downstream", map[string]any{"timeout": 0})
		ctx, cancel := context.WithTimeout(t.Context(), 750*time.Millisecond)
		defer cancel()
		_, err := user.UserInfo(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("UserInfo past the caller's own deadline: got %v, want an error matching context.DeadlineExceeded", err)
		}
		wantRequests(t, p.srv, map[string]int{telenortest.UserInfoPath: 1})
	})
}

// wantTokenTimeout checks contract item 6.
func wantTokenTimeout(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, telenor.ErrTokenTimeout) {
		t.Errorf("contract item 6: got %v, want an error matching ErrTokenTimeout", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("contract item 6: %v matches context.DeadlineExceeded, but the caller's context has no deadline", err)
	}
}

// TestToxicResetPeer: connections reset by the peer.
func TestToxicResetPeer(t *testing.T) {
	t.Run("token endpoint: retried, MaxAttempts requests", func(t *testing.T) {
		p := newProxied(t, nil)
		p.fp.toxic(t, "reset_peer", "downstream", map[string]any{"timeout": 0})
		_, err := p.system().Token(t.Context())
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("got %v, want an error matching syscall.ECONNRESET", err)
		}
		wantRequests(t, p.srv, map[string]int{telenortest.PasswordTokenPath: 3})
	})
	t.Run("API on a pooled keep-alive connection: MaxAttempts requests on the wire", func(t *testing.T) {
		p := newProxied(t, nil)
		user := p.user()
		if _, err := user.UserInfo(t.Context()); err != nil { // leaves a connection in the pool
			t.Fatalf("warm-up: %v", err)
		}
		p.fp.toxic(t, "reset_peer", "downstream", map[string]any{"timeout": 0})
		_, err := user.UserInfo(t.Context())
		if err == nil {
			t.Fatal("UserInfo through a resetting link succeeded")
		}
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("got %v, want an error matching syscall.ECONNRESET", err)
		}
		if got := p.srv.Requests(telenortest.UserInfoPath) - 1; got != 3 {
			t.Errorf("contract item 10: UserInfo requests on the wire = %d, want 3 (MaxAttempts counts every request that reaches the wire, net/http's silent retry on a reused connection included)", got)
		}
	})
}

// TestToxicLimitData: the connection closes after a number of bytes.
func TestToxicLimitData(t *testing.T) {
	// A peer that closes mid-headers is a connection failure, whatever
	// byte it stops at: retried like a reset, MaxAttempts requests.
	for _, cut := range []struct {
		name  string
		bytes int
	}{{"after the status line", 17}, {"inside a header line", 20}} {
		t.Run("token response cut "+cut.name+": transient, retried", func(t *testing.T) {
			p := newProxied(t, nil)
			p.fp.toxic(t, "limit_data", "downstream", map[string]any{"bytes": cut.bytes})
			_, err := p.system().Token(t.Context())
			wantConnectionFailure(t, err)
			wantRequests(t, p.srv, map[string]int{telenortest.PasswordTokenPath: 3})
		})
		t.Run("API response cut "+cut.name+": transient, retried", func(t *testing.T) {
			p := newProxied(t, nil)
			user := p.user()
			p.fp.toxic(t, "limit_data", "downstream", map[string]any{"bytes": cut.bytes})
			_, err := user.UserInfo(t.Context())
			wantConnectionFailure(t, err)
			if got := p.srv.Requests(telenortest.UserInfoPath); got != 3 {
				t.Errorf("not in contract 13 (found by this suite): UserInfo requests = %d, want 3: a connection closed mid-headers is retried like a reset (the token path retries it; the API path must too)", got)
			}
		})
	}
	t.Run("token body cut short: ErrMalformedResponse, not retried", func(t *testing.T) {
		p := newProxied(t, nil)
		p.srv.Fail(telenortest.PasswordTokenPath, 10, telenortest.Fault{
			Status: 200, Body: `{"access_token":"cut-token","expires_in":3599,"padding":"` + strings.Repeat("x", 16<<10) + `"}`,
		})
		p.fp.toxic(t, "limit_data", "downstream", map[string]any{"bytes": 4 << 10})
		_, err := p.system().Token(t.Context())
		if !errors.Is(err, telenor.ErrMalformedResponse) {
			t.Errorf("got %v, want ErrMalformedResponse", err)
		}
		wantRequests(t, p.srv, map[string]int{telenortest.PasswordTokenPath: 1})
	})
	t.Run("API body cut short: ErrMalformedResponse, not retried", func(t *testing.T) {
		p := newProxied(t, nil, telenortest.WithCompanyData(1, 1000))
		sys := p.system()
		if _, err := sys.Token(t.Context()); err != nil {
			t.Fatal(err)
		}
		p.fp.toxic(t, "limit_data", "downstream", map[string]any{"bytes": 16 << 10}) // a page of 1,000 is ~200 KB
		var err error
		for _, err = range sys.MobileSubscriptions(t.Context(), telenor.SubscriptionsOptions{PageSize: 1000}) {
			if err != nil {
				break
			}
		}
		if !errors.Is(err, telenor.ErrMalformedResponse) {
			t.Errorf("got %v, want ErrMalformedResponse", err)
		}
		wantRequests(t, p.srv, map[string]int{telenortest.MobileSubscriptionsPath: 1})
	})
}

// TestToxicSlicer: answers and requests arrive in tiny slices; nothing
// changes.
func TestToxicSlicer(t *testing.T) {
	p := newProxied(t, nil)
	p.fp.toxic(t, "slicer", "downstream", map[string]any{"average_size": 3, "size_variation": 2, "delay": 100})
	p.fp.toxic(t, "slicer", "upstream", map[string]any{"average_size": 5, "size_variation": 4, "delay": 100})
	sys := p.system()
	if _, err := sys.Organizations(t.Context()); err != nil {
		t.Fatalf("Organizations: %v", err)
	}
	info, err := p.user().UserInfo(t.Context())
	if err != nil {
		t.Fatalf("UserInfo: %v", err)
	}
	if info.MobileNumber != telenortest.DefaultSubscriber().MobileNumber {
		t.Errorf("MobileNumber = %q", info.MobileNumber)
	}
	wantRequests(t, p.srv, map[string]int{
		telenortest.PasswordTokenPath: 1, telenortest.OrganizationsPath: 1, telenortest.UserInfoPath: 1,
	})
}

// wantRequests checks the requests the fake gateway saw per path.
func wantRequests(t *testing.T, srv *telenortest.Server, want map[string]int) {
	t.Helper()
	for path, n := range want {
		if got := srv.Requests(path); got != n {
			t.Errorf("requests to %s on the wire = %d, want %d", path, got, n)
		}
	}
}

// wantConnectionFailure expects an error that is neither a typed answer
// of the server nor a malformed body: the connection failed.
func wantConnectionFailure(t *testing.T, err error) {
	t.Helper()
	var ae *telenor.AuthError
	var pe *telenor.APIError
	switch {
	case err == nil:
		t.Error("succeeded through a connection cut before the answer")
	case errors.As(err, &ae), errors.As(err, &pe), errors.Is(err, telenor.ErrMalformedResponse):
		t.Errorf("got %v, want a connection failure (no answer arrived)", err)
	}
}
