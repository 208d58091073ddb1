package redisstore_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/redisstore"
	"github.com/telenor-go/telenor/telenortest"
)

// Fleet runs use tokens of the fake gateway's shortest lifetime, 1 s. The
// SDK refreshes a token ahead of expiry, so each is in use for tokenPeriod
// (the lifetime less its early-refresh window and safety margin): one
// client makes one token request per period, and so should a fleet.
const (
	tokenLifetime = time.Second
	tokenPeriod   = 650 * time.Millisecond
	runPeriods    = 20
)

// systemUser is what the tests use of a system user's session.
type systemUser interface {
	Token(context.Context) (*oauth2.Token, error)
	Organizations(context.Context) ([]telenor.Organization, error)
}

// newGateway returns a fake Telenor gateway issuing 1-second tokens.
func newGateway(t testing.TB) *telenortest.Server {
	gw := telenortest.NewServer(telenortest.WithTokenLifetime(tokenLifetime))
	t.Cleanup(gw.Close)
	return gw
}

// replica returns the default system user's session on a Client of its
// own (a replica), sharing tokens through a Store on rdb (nil: no store),
// logging to logs (nil: nowhere).
func replica(t testing.TB, gwURL string, rdb redis.UniversalClient, logs *modeLog) systemUser {
	t.Helper()
	var h slog.Handler = slog.DiscardHandler
	if logs != nil {
		h = logs
	}
	// A generous bound where a run counts requests: a loaded machine must
	// not turn a slow answer into a fallback fetch. Where Redis goes down,
	// a bound well inside a 1-second token's early-refresh window.
	timeout := 2 * time.Second
	if logs != nil {
		timeout = 200 * time.Millisecond
	}
	r, closeIdle, err := newReplica(gwURL, rdb, h, timeout)
	require.NoError(t, err)
	t.Cleanup(closeIdle)
	return r
}

// newReplica is replica for a test or a replica process, with a Store
// whose Redis commands are bounded by timeout; closeIdle closes its idle
// connections.
func newReplica(gwURL string, rdb redis.UniversalClient, h slog.Handler, timeout time.Duration) (r systemUser, closeIdle func(), err error) {
	hc := &http.Client{Transport: &http.Transport{}}
	cfg := telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: gwURL, HTTPClient: hc, Logger: slog.New(h),
	}
	if rdb != nil {
		store, err := redisstore.New(rdb, redisstore.Options{Keys: [][]byte{testKey('k')}, Timeout: timeout})
		if err != nil {
			return nil, nil, err
		}
		cfg.TokenStore = store
	}
	cli, err := telenor.NewClient(cfg)
	if err != nil {
		return nil, nil, err
	}
	return cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword), hc.CloseIdleConnections, nil
}

// runFleet keeps every replica busy until ctx ends, as a service would:
// two goroutines read the token all the time and one calls the API every
// 50 ms. It returns the number of errors callers saw.
func runFleet(ctx context.Context, replicas []systemUser) int64 {
	var errs atomic.Int64
	var wg sync.WaitGroup
	for _, r := range replicas {
		for range 2 {
			wg.Go(func() {
				for ctx.Err() == nil {
					if _, err := r.Token(ctx); err != nil && ctx.Err() == nil {
						errs.Add(1)
					}
					time.Sleep(2 * time.Millisecond)
				}
			})
		}
		wg.Go(func() {
			for ctx.Err() == nil {
				if _, err := r.Organizations(ctx); err != nil && ctx.Err() == nil {
					errs.Add(1)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	return errs.Load()
}

func runFor(t testing.TB, periods int, replicas []systemUser) int64 {
	ctx, cancel := context.WithTimeout(t.Context(), time.Duration(periods)*tokenPeriod)
	defer cancel()
	return runFleet(ctx, replicas)
}

// Eight replicas over 20 token periods make the token requests of one
// client: the first and one a period. Beside them, eight replicas without
// a store (of another gateway) make eight times as many.
func TestFleetOfEightReplicas(t *testing.T) {
	srv := startRedis(t)
	shared, alone := newGateway(t), newGateway(t)
	var fleet, solo []systemUser
	for range 8 {
		fleet = append(fleet, replica(t, shared.URL, srv.Client(t), nil))
		solo = append(solo, replica(t, alone.URL, nil, nil))
	}
	var errs, soloErrs int64
	var wg sync.WaitGroup
	wg.Go(func() { errs = runFor(t, runPeriods, fleet) })
	wg.Go(func() { soloErrs = runFor(t, runPeriods, solo) })
	wg.Wait()
	assert.Zero(t, errs)
	assert.Zero(t, soloErrs)
	assert.LessOrEqual(t, shared.TokenRequests(), runPeriods+2)
	assert.GreaterOrEqual(t, alone.TokenRequests(), 8*runPeriods)
	t.Logf("token requests over %d periods: 8 replicas sharing a Store %d, 8 replicas without %d",
		runPeriods, shared.TokenRequests(), alone.TokenRequests())
}

// modeLog counts the SDK's log records about the store's mode.
type modeLog struct {
	failed, back atomic.Int64
}

func (l *modeLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *modeLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *modeLog) WithGroup(string) slog.Handler            { return l }
func (l *modeLog) Handle(_ context.Context, r slog.Record) error {
	switch {
	case strings.Contains(r.Message, "token store failed"):
		l.failed.Add(1)
	case strings.Contains(r.Message, "token store answers again"):
		l.back.Add(1)
	}
	return nil
}

// Redis killed (by PID) for the middle third of the run, then started
// again, empty: no caller sees an error, each replica fetches alone in the
// meantime, logs each change of mode once, and sharing resumes.
func TestFleetSurvivesRedisOutage(t *testing.T) {
	srv := startRedis(t)
	gw := newGateway(t)
	var fleet []systemUser
	var logs []*modeLog
	for range 8 {
		l := &modeLog{}
		logs = append(logs, l)
		fleet = append(fleet, replica(t, gw.URL, srv.Client(t), l))
	}
	const third = 10
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var errs int64
	var wg sync.WaitGroup
	wg.Go(func() { errs = runFleet(ctx, fleet) })

	time.Sleep(third * tokenPeriod)
	before := gw.TokenRequests()
	srv.Stop()
	time.Sleep(third * tokenPeriod)
	during := gw.TokenRequests() - before
	srv.Restart()
	time.Sleep(2 * tokenPeriod) // each replica shares from its next refresh on
	resumed := gw.TokenRequests()
	time.Sleep((third - 2) * tokenPeriod)
	after := gw.TokenRequests() - resumed
	cancel()
	wg.Wait()

	assert.Zero(t, errs, "no caller sees the outage")
	assert.GreaterOrEqual(t, during, 8*3, "each replica fetched its own")
	assert.LessOrEqual(t, after, third-2+2, "sharing resumed")
	for i, l := range logs {
		assert.EqualValues(t, 1, l.failed.Load(), "replica %d logs the outage once", i)
		assert.EqualValues(t, 1, l.back.Load(), "replica %d logs the return once", i)
	}
	t.Logf("token requests: %d before the outage, %d during it (%d periods), %d in the last %d periods after it",
		before, during, third, after, third-2)
}

// A replica that dies holding the lease delays the others until the lease
// expires, and no longer: the gateway sees no request while it is held,
// then exactly one.
func TestFleetDeadLeaseHolder(t *testing.T) {
	srv := startRedis(t)
	gw := newGateway(t)
	rdb := srv.Client(t)
	store, err := redisstore.New(rdb, redisstore.Options{Keys: [][]byte{testKey('k')}, LeaseTime: time.Second})
	require.NoError(t, err)
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: gw.URL, HTTPClient: gw.Client(), TokenStore: store,
	})
	require.NoError(t, err)
	// The dead replica: it took the lease on this user's key and vanished.
	deadKey := leaseKeyOf(t, srv, func() {
		_, _ = cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword).Token(t.Context())
	})
	srv.do(t, "SET", deadKey, "dead-replica", "PX", 1000)
	before := gw.TokenRequests()

	done := make(chan error, 1)
	s := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	go func() { _, err := s.Token(t.Context()); done <- err }()
	for {
		// Count first: if the lease still exists after, it was held when counted.
		n := gw.TokenRequests()
		if srv.do(t, "EXISTS", deadKey).(int64) == 0 {
			break
		}
		assert.Equal(t, before, n, "no fetch while the lease is held")
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, <-done)
	assert.Equal(t, before+1, gw.TokenRequests())
}

// leaseKeyOf runs fetch against an empty Redis and returns the name of the
// lease key it took.
func leaseKeyOf(t *testing.T, srv *redisServer, fetch func()) string {
	t.Helper()
	fetch()
	keys := srv.do(t, "KEYS", "*:token").([]any)
	require.Len(t, keys, 1)
	srv.do(t, "FLUSHALL")
	return strings.TrimSuffix(keys[0].(string), "token") + "lease"
}

// A token the API rejects (401) is removed from Redis by the replica that
// saw it, which fetches the next; a second replica seeing the 401 adopts
// that one: two token requests in all.
func TestFleetRejectedTokenIsReplacedOnce(t *testing.T) {
	srv := startRedis(t)
	gw := telenortest.NewServer() // long-lived tokens: only the 401 renews them
	t.Cleanup(gw.Close)
	a, b := replica(t, gw.URL, srv.Client(t), nil), replica(t, gw.URL, srv.Client(t), nil)
	old, err := a.Token(t.Context())
	require.NoError(t, err)
	_, err = b.Token(t.Context())
	require.NoError(t, err)
	gw.Revoke(old.AccessToken)

	_, err = a.Organizations(t.Context())
	require.NoError(t, err)
	_, err = b.Organizations(t.Context())
	require.NoError(t, err)
	ta, _ := a.Token(t.Context())
	tb, _ := b.Token(t.Context())
	assert.Equal(t, ta.AccessToken, tb.AccessToken)
	assert.NotEqual(t, old.AccessToken, ta.AccessToken)
	assert.Equal(t, 2, gw.TokenRequests())
}
