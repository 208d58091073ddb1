package telenor

import (
	"github.com/telenor-go/telenor/internal/tokencache"

	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/gateway"
)

// fakeFetcher issues numbered tokens of a fixed lifetime, each request
// taking delay, and can be told to fail.
type fakeFetcher struct {
	life, delay time.Duration
	calls       atomic.Int64
	fail        atomic.Pointer[error]
}

func (f *fakeFetcher) fetch(ctx context.Context) (issued, error) {
	n := f.calls.Add(1)
	sent := time.Now()
	time.Sleep(f.delay)
	if p := f.fail.Load(); p != nil {
		return issued{}, *p
	}
	return issued{Tok: &oauth2.Token{AccessToken: "tok-" + strconv.FormatInt(n, 10), Expiry: sent.Add(f.life)}, Sent: sent}, nil
}

func newFakeCache(f *fakeFetcher) *cacheUnderTest {
	cli, err := NewClient(Config{ClientID: "id", ClientSecret: "secret", TokenTimeout: 30 * time.Second,
		Retry: RetryPolicy{BaseDelay: 200 * time.Millisecond, MaxDelay: 5 * time.Second, MaxRetryAfter: 30 * time.Second}})
	if err != nil {
		panic(err)
	}
	return &cacheUnderTest{tokencache.Cache{Sys: cli.newRefresher(f.fetch)}}
}

// cacheUnderTest is a cache with the SDK's errors, as a session holds it.
type cacheUnderTest struct{ tokencache.Cache }

func (c *cacheUnderTest) token(ctx context.Context) (*oauth2.Token, error) {
	return cacheToken(ctx, &c.Cache)
}

func TestCacheServesShortLivedTokenWithoutRefetching(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeFetcher{life: 5 * time.Second}
		c := newFakeCache(f)
		tok, err := c.token(t.Context())
		require.NoError(t, err)
		for range 100 {
			got, err := c.token(t.Context())
			require.NoError(t, err)
			assert.Same(t, tok, got, "a 5-second token must not look expired on arrival")
		}
		assert.EqualValues(t, 1, f.calls.Load())
	})
}

// A token request takes 50 ms of virtual time, so a caller that waited on
// a fetch sees time pass during its call, and a hot read sees none.
func TestCacheSteadyLoadNeverWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const life, lifetimes, fetchTime = time.Minute, 50, 50 * time.Millisecond
		f := &fakeFetcher{life: life, delay: fetchTime}
		c := newFakeCache(f)
		start := time.Now()
		_, err := c.token(t.Context())
		require.NoError(t, err)
		require.Equal(t, fetchTime, time.Since(start), "the cold start waits once")

		var wg sync.WaitGroup
		var expired, waited atomic.Int64
		for range 8 {
			wg.Go(func() {
				for range lifetimes * 60 {
					t0 := time.Now()
					tok, err := c.token(t.Context())
					if time.Since(t0) > 0 {
						waited.Add(1)
					}
					if err != nil || !tok.Expiry.After(time.Now()) {
						expired.Add(1)
					}
					time.Sleep(time.Second)
				}
			})
		}
		wg.Wait()
		assert.Zero(t, expired.Load(), "every caller got a valid token")
		assert.Zero(t, waited.Load(), "no caller waited on a fetch after the cold start")
		n := f.calls.Load()
		assert.True(t, n >= lifetimes && n <= 2*lifetimes, "token requests %d for %d lifetimes", n, lifetimes)
	})
}

func TestCacheRefreshFailureKeepsValidTokenAndBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeFetcher{life: 100 * time.Second} // refresh from 65s, stale at 90s
		c := newFakeCache(f)
		first, err := c.token(t.Context())
		require.NoError(t, err)
		boom := error(&AuthError{StatusCode: 503, RetryAfter: 2 * time.Second})
		f.fail.Store(&boom)

		for time.Since(first.Expiry.Add(-100*time.Second)) < 89*time.Second {
			tok, err := c.token(t.Context())
			require.NoError(t, err, "no caller sees an error while the token is valid")
			require.Same(t, first, tok)
			time.Sleep(10 * time.Millisecond)
		}
		calls := f.calls.Load() - 1
		assert.True(t, calls >= 2 && calls <= 13, "backoff (≥2s Retry-After) spaces refreshes over 25s: %d", calls)

		time.Sleep(2 * time.Second) // past the safety margin
		_, err = c.token(t.Context())
		var ae *AuthError
		require.ErrorAs(t, err, &ae, "after expiry callers get the typed error")
		assert.Equal(t, 503, ae.StatusCode)
	})
}

func TestCacheCallerDeadlineDoesNotCancelSharedFetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		f := &fakeFetcher{life: time.Hour}
		c := newFakeCache(f)
		c.Sys.Fetch = func(ctx context.Context) (issued, error) {
			select {
			case <-release:
			case <-ctx.Done():
				return issued{}, ctx.Err()
			}
			return f.fetch(ctx)
		}
		var wg sync.WaitGroup
		var patient *oauth2.Token
		wg.Go(func() {
			var err error
			patient, err = c.token(context.Background())
			assert.NoError(t, err)
		})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.token(ctx)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 5*time.Millisecond, time.Since(start), "the impatient caller returns at its deadline")

		time.Sleep(time.Second)
		close(release)
		wg.Wait()
		require.NotNil(t, patient)
		assert.Equal(t, "tok-1", patient.AccessToken)
		assert.EqualValues(t, 1, f.calls.Load())
	})
}

func TestCacheInvalidateOnlyDropsTheRejectedToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeFetcher{life: time.Hour}
		c := newFakeCache(f)
		old, _ := c.token(t.Context())
		assert.True(t, c.Invalidate(old.AccessToken))
		fresh, err := c.token(t.Context())
		require.NoError(t, err)
		assert.NotEqual(t, old.AccessToken, fresh.AccessToken)

		assert.False(t, c.Invalidate(old.AccessToken), "a late 401 for the old token")
		again, err := c.token(t.Context())
		require.NoError(t, err)
		assert.Same(t, fresh, again, "the newer token survives")
		assert.EqualValues(t, 2, f.calls.Load())
	})
}

func TestCacheFailsFastAfterFailureInsteadOfHammering(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeFetcher{life: time.Hour}
		bad := error(&AuthError{StatusCode: 503})
		f.fail.Store(&bad)
		c := newFakeCache(f)
		for range 50 {
			_, err := c.token(t.Context())
			assert.ErrorIs(t, err, bad)
		}
		assert.EqualValues(t, 1, f.calls.Load(), "no request loop on a failing endpoint")
		time.Sleep(time.Second) // past the first backoff
		f.fail.Store(nil)
		_, err := c.token(t.Context())
		assert.NoError(t, err, "recovers once the backoff has passed")
		assert.EqualValues(t, 2, f.calls.Load())
	})
}

// A rejected password or client is never sent again by the Session:
// every later call answers the same error at once, however long it runs.
func TestCacheRejectedCredentialsAreFinal(t *testing.T) {
	for name, rejected := range map[string]error{
		"invalid_grant":  &AuthError{StatusCode: 400, Code: "invalid_grant"},
		"invalid_client": &AuthError{StatusCode: 401, GatewayCode: gateway.CodeInvalidClient},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &fakeFetcher{life: time.Hour}
				f.fail.Store(&rejected)
				c := newFakeCache(f)
				for range 24 * 60 { // a call a minute for a day
					_, err := c.token(t.Context())
					require.Same(t, rejected, err)
					time.Sleep(time.Minute)
				}
				f.fail.Store(nil) // even once the server would accept
				_, err := c.token(t.Context())
				assert.Same(t, rejected, err)
				assert.EqualValues(t, 1, f.calls.Load(), "the credentials were sent once")
			})
		})
	}
}

// A refresh rejected while the token is still valid ends the Session too:
// the credentials are not sent again, and callers learn it at once.
func TestCacheRefreshRejectedIsFinal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeFetcher{life: 100 * time.Second} // refresh from 65s
		c := newFakeCache(f)
		_, err := c.token(t.Context())
		require.NoError(t, err)
		rejected := error(&AuthError{StatusCode: 400, Code: "invalid_grant"})
		f.fail.Store(&rejected)
		time.Sleep(70 * time.Second)
		_, _ = c.token(t.Context()) // starts the background refresh
		synctest.Wait()
		for range 1000 {
			_, err := c.token(t.Context())
			require.Same(t, rejected, err)
			time.Sleep(10 * time.Second)
		}
		assert.EqualValues(t, 2, f.calls.Load())
	})
}

func TestUserCacheCannotRenew(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &cacheUnderTest{}
		_, err := c.token(t.Context())
		assert.ErrorIs(t, err, ErrReauthenticate)
		c.Restore(tokencache.NewEntry(&oauth2.Token{AccessToken: "u", Expiry: time.Now().Add(10 * time.Minute)}, time.Now(), DefaultTokenLifetime))
		tok, err := c.token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, "u", tok.AccessToken)
		time.Sleep(10 * time.Minute)
		_, err = c.token(t.Context())
		assert.ErrorIs(t, err, ErrReauthenticate)
	})
}

func TestCacheConcurrentColdCallersShareOneFetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeFetcher{life: time.Hour}
		c := newFakeCache(f)
		var wg sync.WaitGroup
		toks := make([]*oauth2.Token, 300)
		for i := range toks {
			wg.Go(func() { toks[i], _ = c.token(t.Context()) })
		}
		wg.Wait()
		for _, tok := range toks {
			assert.Same(t, toks[0], tok)
		}
		assert.EqualValues(t, 1, f.calls.Load())
	})
}

func TestCacheHotReadDoesNotAllocate(t *testing.T) {
	f := &fakeFetcher{life: time.Hour}
	c := newFakeCache(f)
	ctx := context.Background()
	_, err := c.token(ctx)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(1000, func() { _, _ = c.token(ctx) })
	assert.Zero(t, allocs)
}

func TestCacheFetchWithoutAccessTokenIsAnError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newFakeCache(&fakeFetcher{})
		c.Sys.Fetch = func(context.Context) (issued, error) {
			return issued{Tok: &oauth2.Token{}, Sent: time.Now()}, nil
		}
		_, err := c.token(t.Context())
		assert.True(t, errors.Is(err, ErrMalformedResponse), fmt.Sprint(err))
	})
}
