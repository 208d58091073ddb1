package telenor

import (
	"github.com/telenor-go/telenor/internal/tokencache"

	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

// memTokenStore is a TokenStore in memory, shared by the Clients of one
// test as Redis is by the replicas of a fleet. down makes every method
// fail, as a store that cannot be reached.
type memTokenStore struct {
	leaseTime, poll time.Duration
	down            atomic.Bool

	mu      sync.Mutex
	tok     *oauth2.Token
	sent    time.Time
	holder  int // lease holder's number, 0 when free
	until   time.Time
	holders int
	deleted []string // access tokens CompareAndDelete removed
}

var errStoreDown = errors.New("store unreachable")

func newMemTokenStore() *memTokenStore {
	return &memTokenStore{leaseTime: 10 * time.Second, poll: 50 * time.Millisecond}
}

func (m *memTokenStore) Load(ctx context.Context, key string) (*oauth2.Token, time.Time, error) {
	if m.down.Load() {
		return nil, time.Time{}, errStoreDown
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil || !time.Now().Before(m.tok.Expiry) {
		return nil, time.Time{}, nil
	}
	t := *m.tok
	return &t, m.sent, nil
}

func (m *memTokenStore) Lease(ctx context.Context, key string) (func(context.Context), error) {
	if m.down.Load() {
		return nil, errStoreDown
	}
	m.mu.Lock()
	now := time.Now()
	if m.holder == 0 || !now.Before(m.until) {
		m.holders++
		me := m.holders
		m.holder, m.until = me, now.Add(m.leaseTime)
		m.mu.Unlock()
		return func(context.Context) { m.release(me) }, nil
	}
	m.mu.Unlock()
	t := time.NewTimer(m.poll)
	defer t.Stop()
	select {
	case <-t.C:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (m *memTokenStore) release(holder int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.holder == holder {
		m.holder = 0
	}
}

func (m *memTokenStore) Save(ctx context.Context, key string, tok *oauth2.Token, sent time.Time) error {
	if m.down.Load() {
		return errStoreDown
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t := *tok
	m.tok, m.sent = &t, sent
	return nil
}

func (m *memTokenStore) CompareAndDelete(ctx context.Context, key, accessToken string) error {
	if m.down.Load() {
		return errStoreDown
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok != nil && m.tok.AccessToken == accessToken {
		m.tok = nil
		m.deleted = append(m.deleted, accessToken)
	}
	return nil
}

// fleetClients returns n Clients of one fake gateway in process (for
// synctest bubbles), each with store (nil: none) and logging to logs.
func fleetClients(t *testing.T, srv *telenortest.Server, n int, store TokenStore, logs *syncBuffer) []*Client {
	t.Helper()
	clients := make([]*Client, n)
	for i := range clients {
		cfg := Config{
			ClientID:     telenortest.DefaultClientID,
			ClientSecret: telenortest.DefaultClientSecret,
			BaseURL:      "http://127.0.0.1",
			HTTPClient:   &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}},
			TokenStore:   store,
		}
		if logs != nil {
			cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
		}
		cli, err := NewClient(cfg)
		require.NoError(t, err)
		clients[i] = cli
	}
	return clients
}

// tokenPeriod is how long a token of telenortest's default lifetime is in
// use: refresh-ahead replaces it this long after its request was sent.
const tokenPeriod = telenortest.DefaultExpiresIn - tokencache.MaxEarlyRefresh - tokencache.MaxSafetyMargin

// runFleet has every Client's system user read its token every 10 s (of
// virtual time) for periods token periods, and returns the token requests
// that reached the gateway and the errors callers saw.
func runFleet(t *testing.T, srv *telenortest.Server, clients []*Client, periods int) (requests, errs int) {
	before := srv.TokenRequests()
	end := time.Now().Add(time.Duration(periods) * tokenPeriod)
	var failed atomic.Int64
	var wg sync.WaitGroup
	for _, cli := range clients {
		s := systemSession(cli)
		wg.Go(func() {
			for time.Now().Before(end) {
				if _, err := s.Token(t.Context()); err != nil {
					failed.Add(1)
				}
				time.Sleep(10 * time.Second)
			}
		})
	}
	wg.Wait()
	return srv.TokenRequests() - before, int(failed.Load())
}

// The fleet's promise: eight replicas over 20 token periods make the
// token requests of one client (the first and one per period), not eight
// times as many.
func TestTokenStoreFleetRequestsLikeOneClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer()
		requests, errs := runFleet(t, srv, fleetClients(t, srv, 8, newMemTokenStore(), nil), 20)
		assert.Zero(t, errs)
		assert.LessOrEqual(t, requests, 22, "one request per token period for the whole fleet")
		t.Logf("8 replicas sharing a store, 20 token periods: %d token requests", requests)

		srv = telenortest.NewUnstartedServer()
		requests, errs = runFleet(t, srv, fleetClients(t, srv, 8, nil, nil), 20)
		assert.Zero(t, errs)
		assert.GreaterOrEqual(t, requests, 8*20, "without a store each replica fetches its own")
		t.Logf("8 replicas without a store, 20 token periods: %d token requests", requests)
	})
}

// A replica adopts the shared token with the time its request was sent,
// so refresh-ahead falls due at the same moment on every replica and one
// of them refreshes for all.
func TestTokenStoreAdoptedTokenKeepsItsSendTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer()
		clients := fleetClients(t, srv, 2, newMemTokenStore(), nil)
		a, b := systemSession(clients[0]), systemSession(clients[1])
		first, err := a.Token(t.Context())
		require.NoError(t, err)
		time.Sleep(time.Hour / 2)
		adopted, err := b.Token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, first.AccessToken, adopted.AccessToken)
		assert.Equal(t, first.Expiry, adopted.Expiry, "expiry counted from the first request's send time")
		assert.Equal(t, 1, srv.TokenRequests())

		time.Sleep(tokenPeriod - time.Hour/2 + time.Second) // refresh-ahead due on both
		_, err = a.Token(t.Context())
		require.NoError(t, err)
		_, err = b.Token(t.Context())
		require.NoError(t, err)
		time.Sleep(time.Second) // the refreshes run in the background
		ta, _ := a.Token(t.Context())
		tb, _ := b.Token(t.Context())
		assert.Equal(t, ta.AccessToken, tb.AccessToken)
		assert.NotEqual(t, first.AccessToken, ta.AccessToken, "refreshed ahead")
		assert.Equal(t, 2, srv.TokenRequests(), "one refresh for both replicas")
	})
}

// A replica that dies holding the lease delays the others by at most the
// lease time: then one of them takes the lease and fetches.
func TestTokenStoreDeadLeaseHolderDelaysAtMostTheLease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer()
		store := newMemTokenStore()
		_, err := store.Lease(t.Context(), "any") // a replica that then dies
		require.NoError(t, err)
		s := systemSession(fleetClients(t, srv, 1, store, nil)[0])
		start := time.Now()
		_, err = s.Token(t.Context())
		require.NoError(t, err)
		waited := time.Since(start)
		assert.GreaterOrEqual(t, waited, store.leaseTime, "no fetch while the lease is held")
		assert.LessOrEqual(t, waited, store.leaseTime+store.poll)
		assert.Equal(t, 1, srv.TokenRequests())
	})
}

// A token the API rejects is removed from the store by the replica that
// saw the 401, and only that token: the next replica to see the 401
// adopts the new token instead of fetching another.
func TestTokenStoreRejectedTokenIsRemovedForTheFleet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer()
		store := newMemTokenStore()
		clients := fleetClients(t, srv, 2, store, nil)
		a, b := systemSession(clients[0]), systemSession(clients[1])
		_, err := a.Organizations(t.Context())
		require.NoError(t, err)
		_, err = b.Organizations(t.Context())
		require.NoError(t, err)
		old, _ := a.Token(t.Context())
		srv.Revoke(old.AccessToken)

		_, err = a.Organizations(t.Context()) // 401, new token, replay
		require.NoError(t, err)
		_, err = b.Organizations(t.Context()) // 401, adopts a's new token, replay
		require.NoError(t, err)
		ta, _ := a.Token(t.Context())
		tb, _ := b.Token(t.Context())
		assert.Equal(t, ta.AccessToken, tb.AccessToken)
		assert.Equal(t, 2, srv.TokenRequests())
		store.mu.Lock()
		assert.Equal(t, []string{old.AccessToken}, store.deleted, "only the rejected token is removed")
		store.mu.Unlock()
	})
}

// When the store fails, every replica fetches its own token, no caller
// sees an error, and each change of mode is logged once per Client, not
// per fetch. Sharing resumes when the store answers again.
func TestTokenStoreFailureFallsBackAndLogsModeOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer()
		store := newMemTokenStore()
		var logs syncBuffer
		clients := fleetClients(t, srv, 2, store, &logs)
		store.down.Store(true)
		requests, errs := runFleet(t, srv, clients, 3)
		assert.Zero(t, errs)
		assert.GreaterOrEqual(t, requests, 2*3, "each replica fetches alone")
		assert.Equal(t, 2, strings.Count(logs.String(), "token store failed"), "once per Client")

		store.down.Store(false)
		time.Sleep(tokenPeriod) // sharing resumes at the next refresh
		requests, errs = runFleet(t, srv, clients, 5)
		assert.Zero(t, errs)
		assert.LessOrEqual(t, requests, 5+1)
		assert.Equal(t, 2, strings.Count(logs.String(), "token store answers again"))
		assert.Equal(t, 2, strings.Count(logs.String(), "token store failed"))
	})
}

// The store is on the slow path only: a hot read allocates nothing and
// calls nothing.
func TestTokenStoreHotReadAllocatesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer()
		store := newMemTokenStore()
		s := systemSession(fleetClients(t, srv, 1, store, nil)[0])
		_, err := s.Token(t.Context())
		require.NoError(t, err)
		store.down.Store(true) // a call would now fail or log
		ctx := context.Background()
		allocs := testing.AllocsPerRun(1000, func() {
			if _, err := s.Token(ctx); err != nil {
				t.Error(err)
			}
		})
		assert.Zero(t, allocs)
	})
}
