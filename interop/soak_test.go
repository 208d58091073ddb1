package interop

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// TestSoak: 64 goroutines share one system user's SystemSession on short-lived
// tokens while the gateway fails now and then. The run is bounded by a
// call count, not by time. At the end: every failure is explained by the
// injected faults, token requests track the lifetimes that passed, the
// heap is flat between the two halves, and no goroutine is left.
func TestSoak(t *testing.T) {
	const (
		workers  = 64
		perPhase = 75                    // calls per worker in each half
		pause    = 25 * time.Millisecond // between a worker's calls
		life     = 2 * time.Second       // token lifetime
	)
	baseline := goleak.IgnoreCurrent()
	srv := telenortest.NewServer(telenortest.WithTokenLifetime(life))
	cli := newClient(t, telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: srv.URL, // HTTPClient nil: the default an application gets
		Retry:   telenor.RetryPolicy{BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond},
	})
	sys := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	s := &soak{srv: srv}
	start := time.Now()
	s.phase(t, sys, workers, perPhase, pause)
	heap1 := liveHeap()
	s.phase(t, sys, workers, perPhase, pause)
	heap2 := liveHeap()
	elapsed := time.Since(start)

	calls := int64(2 * workers * perPhase)
	injected := s.apiFaults.Load() + s.tokenFaults.Load()
	t.Logf("%d calls in %v, %d faults injected, %d failed calls, %d token requests, live heap %d → %d KiB",
		calls, elapsed.Round(time.Millisecond), injected, s.failed.Load(), srv.Requests(telenortest.PasswordTokenPath), heap1>>10, heap2>>10)
	if f := s.failed.Load(); f > injected/2 {
		t.Errorf("%d calls failed, more than half the %d injected faults: a call fails only when faults exhaust its attempts", f, injected)
	}
	// A token lasts life and is refreshed at 65 % of it (margin 10 %,
	// refresh-ahead 25 %): between one and about 1.5 requests per lifetime,
	// plus one per injected 401 (a replay fetches a new token) and up to
	// two per injected token-endpoint 500 (retries inside the fetch).
	lifetimes := float64(elapsed) / float64(life)
	tokens := float64(srv.Requests(telenortest.PasswordTokenPath))
	extra := float64(s.replays.Load() + 2*s.tokenFaults.Load())
	if tokens < lifetimes/2 || tokens > 2*lifetimes+extra+4 {
		t.Errorf("token requests = %.0f over %.1f lifetimes (%d 401 replays and %d token faults injected): want between %.1f and %.1f",
			tokens, lifetimes, s.replays.Load(), s.tokenFaults.Load(), lifetimes/2, 2*lifetimes+extra+4)
	}
	if growth := int64(heap2) - int64(heap1); growth > 4<<20 {
		t.Errorf("live heap grew by %d KiB over the second half (%d calls): want roughly flat", growth>>10, calls/2)
	}
	srv.Close() // ends the default client's keep-alive connections
	goleak.VerifyNone(t, append(toxiproxyLeaks, baseline)...)
}

// soak drives the calls and injects faults at fixed points of the global
// call count, so what is injected does not depend on timing.
type soak struct {
	srv                    *telenortest.Server
	n                      atomic.Int64
	apiFaults, tokenFaults atomic.Int64
	replays                atomic.Int64 // injected 401s: each costs a token request
	failed                 atomic.Int64
}

func (s *soak) phase(t *testing.T, sys *telenor.SystemSession, workers, calls int, pause time.Duration) {
	t.Helper()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range calls {
				s.inject()
				if _, err := sys.Organizations(t.Context()); err != nil {
					s.failed.Add(1)
					if !explained(err) {
						t.Errorf("a failure no injected fault explains: %v", err)
					}
				}
				time.Sleep(pause)
			}
		})
	}
	wg.Wait()
}

func (s *soak) inject() {
	switch n := s.n.Add(1); {
	case n%100 == 50:
		s.srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 503, Code: 50001})
		s.apiFaults.Add(1)
	case n%2000 == 1000:
		s.srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: codeTokenInvalid})
		s.apiFaults.Add(1)
		s.replays.Add(1)
	case n%400 == 200:
		s.srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Reset: true})
		s.apiFaults.Add(1)
	case n%500 == 250:
		s.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 500, Code: 50001})
		s.tokenFaults.Add(1)
	}
}

// explained reports whether err is what an injected fault can cause.
func explained(err error) bool {
	var pe *telenor.APIError
	var ae *telenor.AuthError
	var ne net.Error
	switch {
	case errors.As(err, &pe):
		return pe.StatusCode == 503 || pe.StatusCode == 401
	case errors.As(err, &ae):
		return ae.StatusCode == 500
	}
	return errors.As(err, &ne) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestDefaultClientReusesConnections: contract item 11. With
// Config.HTTPClient nil, 64 concurrent callers reuse connections instead
// of opening one for most requests (http.DefaultTransport keeps 2 idle
// connections per host).
func TestDefaultClientReusesConnections(t *testing.T) {
	const workers, each = 64, 20
	var conns atomic.Int64
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, http.StatusOK, "application/json", `{"mobileNumber":"4790012345"}`)
	}))
	api.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	api.Start()
	defer api.Close() // also ends the SDK's idle connections
	cli := newClient(t, telenor.Config{ClientID: "id", ClientSecret: "secret", BaseURL: api.URL})
	user := cli.RestoreUserSession(&oauth2.Token{AccessToken: "any"})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := user.UserInfo(t.Context()); err != nil {
					t.Errorf("UserInfo: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := conns.Load(); n > 2*workers {
		t.Errorf("contract item 11: %d connections for %d requests from %d callers, want at most %d: the default transport must keep an idle connection per concurrent caller", n, workers*each, workers, 2*workers)
	}
}
