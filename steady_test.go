package telenor

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

// Steady load over 50 token lifetimes of 2 s, in a synctest bubble.
//
// For the SDK every token request takes 50 ms (virtual), so a caller that
// had to wait on a fetch sees time pass during its call, and a hot read
// sees none. The SDK refreshes ahead of expiry in the background: no
// caller waits.
//
// ReuseTokenSource (with the same 200 ms safety margin) fetches on a
// caller's path while holding a mutex. A goroutine blocked on a mutex is
// not durably blocked for synctest, so virtual time cannot pass during
// its fetch; there the fetches take no time and a call counts as having
// waited when a fetch happened during it (at least the fetching caller).
// That undercounts: on a real network everyone who arrives during the
// fetch queues on the mutex too.
const (
	steadyLifetime  = 2 * time.Second
	steadyLifetimes = 50
	steadyCallers   = 8
	steadyInterval  = 10 * time.Millisecond
	steadyFetchTime = 50 * time.Millisecond
)

// steadyWaits runs the steady load against get and returns how many calls
// (after the first token) had to wait on a fetch, and the token requests.
// With slowFetch the token endpoint takes steadyFetchTime per request and a
// call waited when virtual time passed during it; without, when a token
// request arrived during it.
func steadyWaits(t *testing.T, srv *telenortest.Server, slowFetch bool, get func(context.Context) error) (waited, requests int) {
	require.NoError(t, get(t.Context())) // warm up: the cold fetch is not steady state
	if slowFetch {
		srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Delay: steadyFetchTime})
	}
	before := srv.TokenRequests()
	end := time.Now().Add(steadyLifetimes * steadyLifetime)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range steadyCallers {
		wg.Go(func() {
			for time.Now().Before(end) {
				t0, r0 := time.Now(), srv.TokenRequests()
				if err := get(t.Context()); err != nil {
					t.Error(err)
					return
				}
				if (slowFetch && time.Since(t0) > 0) || (!slowFetch && srv.TokenRequests() != r0) {
					mu.Lock()
					waited++
					mu.Unlock()
				}
				time.Sleep(steadyInterval)
			}
		})
	}
	wg.Wait()
	return waited, srv.TokenRequests() - before
}

func TestSteadyLoadNoCallerWaits(t *testing.T) {
	var sdkWaits, rtsWaits, sdkReq, rtsReq int
	t.Run("impl=Session", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv, cli := newMemClient(t, telenortest.WithTokenLifetime(steadyLifetime))
			s := systemSession(cli)
			sdkWaits, sdkReq = steadyWaits(t, srv, true, func(ctx context.Context) error {
				_, err := s.Token(ctx)
				return err
			})
		})
	})
	t.Run("impl=ReuseTokenSource", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := telenortest.NewUnstartedServer(telenortest.WithTokenLifetime(steadyLifetime))
			src := newPasswordSource("http://127.0.0.1", &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}})
			ts := oauth2.ReuseTokenSourceWithExpiry(nil, src, steadyLifetime/10)
			rtsWaits, rtsReq = steadyWaits(t, srv, false, func(context.Context) error {
				_, err := ts.Token()
				return err
			})
		})
	})
	// Read by BenchmarkSteadyLoad; keep the format.
	t.Logf("steady-load: Session waits=%d requests=%d; ReuseTokenSource waits=%d requests=%d\n",
		sdkWaits, sdkReq, rtsWaits, rtsReq)
	assert.Zero(t, sdkWaits, "no caller of a password-grant Session waits on a fetch in steady state")
	assert.Positive(t, rtsWaits, "ReuseTokenSource makes callers wait at every expiry")
	assert.GreaterOrEqual(t, sdkReq, steadyLifetimes-1, "the SDK refreshed about once a lifetime")
	assert.LessOrEqual(t, sdkReq, 2*steadyLifetimes, "the SDK refreshed about once a lifetime")
}

// BenchmarkSteadyLoad reports TestSteadyLoadNoCallerWaits's counts as
// metrics, so that they print with the other benchmarks. synctest needs a
// *testing.T, so it runs the test in a child process of this test binary.
func BenchmarkSteadyLoad(b *testing.B) {
	var out []byte
	for range b.N {
		var err error
		out, err = exec.Command(os.Args[0], "-test.run=^TestSteadyLoadNoCallerWaits$", "-test.count=1", "-test.v").CombinedOutput()
		if err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
	m := regexp.MustCompile(`Session waits=(\d+) requests=(\d+); ReuseTokenSource waits=(\d+) requests=(\d+)`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("no counts in output:\n%s", out)
	}
	n := func(i int) float64 { v, _ := strconv.Atoi(string(m[i])); return float64(v) }
	b.ReportMetric(n(1), "session-waits")
	b.ReportMetric(n(2), "session-token-requests")
	b.ReportMetric(n(3), "rts-waits")
	b.ReportMetric(n(4), "rts-token-requests")
	b.ReportMetric(0, "ns/op")
}
