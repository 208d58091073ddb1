package telenor_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// An outside review of the Observer's contract: every Start has exactly
// one End with the context Start returned, nested where the docs say, and
// every event runs under the caller's context values.

// callerKey marks the caller's context: every event must carry it.
type callerKey struct{}

// scopeKey is the scope a Start opened; End must get it back.
type scopeKey struct{}

type scope struct {
	id     int64
	kind   string // "op", "attempt", "token"
	parent *scope
	ended  atomic.Bool
}

// contractObserver checks the pairing and nesting of events and counts
// them. It is safe for concurrent use and never blocks for long.
type contractObserver struct {
	t    testing.TB
	next atomic.Int64

	mu          sync.Mutex
	open        map[int64]*scope
	ops, opEnds []telenor.Operation
	attempts    []telenor.Attempt
	attemptEnds []telenor.Attempt
	fetches     []telenor.TokenFetch
	fetchEnds   []telenor.TokenFetch
	waits       []telenor.TokenWait
	problems    []string
}

func newContractObserver(t testing.TB) *contractObserver {
	return &contractObserver{t: t, open: map[int64]*scope{}}
}

func (o *contractObserver) problem(format string, args ...any) {
	o.mu.Lock()
	o.problems = append(o.problems, fmt.Sprintf(format, args...))
	o.mu.Unlock()
}

func (o *contractObserver) start(ctx context.Context, kind string, wantParent ...string) context.Context {
	if ctx.Value(callerKey{}) == nil {
		o.problem("%s started without the caller's context values", kind)
	}
	parent, _ := ctx.Value(scopeKey{}).(*scope)
	if len(wantParent) > 0 {
		got := ""
		if parent != nil {
			got = parent.kind
		}
		if got != wantParent[0] {
			o.problem("%s started under %q, want %q", kind, got, wantParent[0])
		}
	}
	s := &scope{id: o.next.Add(1), kind: kind, parent: parent}
	o.mu.Lock()
	o.open[s.id] = s
	o.mu.Unlock()
	return context.WithValue(ctx, scopeKey{}, s)
}

func (o *contractObserver) end(ctx context.Context, kind string) {
	s, _ := ctx.Value(scopeKey{}).(*scope)
	switch {
	case s == nil || s.kind != kind:
		o.problem("%s ended with another context (%v)", kind, s)
		return
	case s.ended.Swap(true):
		o.problem("%s %d ended twice", kind, s.id)
	}
	o.mu.Lock()
	delete(o.open, s.id)
	o.mu.Unlock()
}

func (o *contractObserver) OperationStart(ctx context.Context, op telenor.Operation) context.Context {
	o.mu.Lock()
	o.ops = append(o.ops, op)
	o.mu.Unlock()
	return o.start(ctx, "op", "")
}

func (o *contractObserver) OperationEnd(ctx context.Context, op telenor.Operation) {
	o.end(ctx, "op")
	o.mu.Lock()
	o.opEnds = append(o.opEnds, op)
	o.mu.Unlock()
}

func (o *contractObserver) AttemptStart(ctx context.Context, a telenor.Attempt) context.Context {
	o.mu.Lock()
	o.attempts = append(o.attempts, a)
	o.mu.Unlock()
	return o.start(ctx, "attempt", "op")
}

func (o *contractObserver) AttemptEnd(ctx context.Context, a telenor.Attempt) {
	o.end(ctx, "attempt")
	o.mu.Lock()
	o.attemptEnds = append(o.attemptEnds, a)
	o.mu.Unlock()
}

func (o *contractObserver) TokenFetchStart(ctx context.Context, f telenor.TokenFetch) context.Context {
	o.mu.Lock()
	o.fetches = append(o.fetches, f)
	o.mu.Unlock()
	return o.start(ctx, "token")
}

func (o *contractObserver) TokenFetchEnd(ctx context.Context, f telenor.TokenFetch) {
	o.end(ctx, "token")
	o.mu.Lock()
	o.fetchEnds = append(o.fetchEnds, f)
	o.mu.Unlock()
}

func (o *contractObserver) TokenWait(ctx context.Context, w telenor.TokenWait) {
	if ctx.Value(callerKey{}) == nil {
		o.problem("TokenWait without the caller's context values")
	}
	o.mu.Lock()
	o.waits = append(o.waits, w)
	o.mu.Unlock()
}

// check asserts that nothing went wrong and every scope ended.
func (o *contractObserver) check(t *testing.T) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	assert.Empty(t, o.problems)
	assert.Empty(t, o.open, "every Start has its End")
	assert.Len(t, o.opEnds, len(o.ops))
	assert.Len(t, o.attemptEnds, len(o.attempts))
	assert.Len(t, o.fetchEnds, len(o.fetches))
}

func (o *contractObserver) sumAttempts() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, op := range o.opEnds {
		n += op.Attempts
	}
	return n
}

func contractClient(t *testing.T, obs telenor.Observer, srv *telenortest.Server) *telenor.Client {
	t.Helper()
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: "http://127.0.0.1", HTTPClient: srv.Client(), Observer: obs,
	})
	require.NoError(t, err)
	return cli
}

// Fifty callers on one cold system session while the token endpoint is
// slow and the API fails now and then: one fetch, every wait reported,
// every Start ended once with its own context, and the attempts the
// events count are the requests the server saw.
func TestObserverUnderConcurrentColdStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		obs := newContractObserver(t)
		srv := telenortest.NewUnstartedServer(telenortest.WithCompanyData(1, 30))
		srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Delay: time.Second})
		srv.Fail(telenortest.OrganizationsPath, 7, telenortest.Fault{Status: 503, Code: 50001})
		srv.Fail(telenortest.AgreementsPath, 5, telenortest.Fault{Status: 429, Code: telenor.CodeSpikeArrest, RetryAfter: "1"})
		sys := contractClient(t, obs, srv).PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
		const callers = 50
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				ctx := context.WithValue(t.Context(), callerKey{}, i)
				var err error
				switch i % 3 {
				case 0:
					_, err = sys.Organizations(ctx)
				case 1:
					_, err = sys.Agreements(ctx)
				default:
					for _, e := range sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{PageSize: 20}) {
						if err = e; err != nil {
							break
						}
					}
				}
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		synctest.Wait()
		obs.check(t)
		require.Len(t, obs.fetches, 1, "one shared fetch")
		assert.Equal(t, telenor.TokenFetch{Grant: telenor.GrantPassword}, obs.fetches[0])
		assert.NoError(t, obs.fetchEnds[0].Err)
		assert.Len(t, obs.waits, callers, "every caller waited for the cold fetch")
		for _, w := range obs.waits {
			assert.NoError(t, w.Err)
			assert.Equal(t, time.Second, w.Duration)
		}
		wire := srv.Requests(telenortest.OrganizationsPath) + srv.Requests(telenortest.AgreementsPath) +
			srv.Requests(telenortest.MobileSubscriptionsPath)
		assert.Equal(t, wire, obs.sumAttempts(), "Operation.Attempts sum to the requests the server saw")
		assert.Equal(t, wire, len(obs.attempts), "one Attempt a request")
		assert.Equal(t, 1, srv.TokenRequests())
	})
}

var _ = http.MethodGet

// A page whose envelope shows the list changed since the page before is
// an error for the caller, and so for the Observer: the page's
// OperationEnd carried no error, so error.type list_changed, which
// docs/observability.md lists, could never be recorded.
func TestObserverSeesListChanged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		obs := newContractObserver(t)
		srv := telenortest.NewUnstartedServer(telenortest.WithCompanyData(1, 12), telenortest.WithPageEnvelope(telenortest.EnvelopeObject))
		sys := contractClient(t, obs, srv).PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
		ctx := context.WithValue(t.Context(), callerKey{}, 1)
		var err error
		for _, e := range sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{PageSize: 5}) {
			if err = e; err != nil {
				break
			}
			srv.Fail(telenortest.MobileSubscriptionsPath, 1, telenortest.Fault{Status: 200, Body: `{"content":[],"totalElements":13}`})
		}
		require.ErrorIs(t, err, telenor.ErrListChanged)
		obs.check(t)
		require.Len(t, obs.opEnds, 2)
		assert.NoError(t, obs.opEnds[0].Err)
		assert.Equal(t, 1, obs.opEnds[1].Page)
		assert.ErrorIs(t, obs.opEnds[1].Err, telenor.ErrListChanged)
	})
}
