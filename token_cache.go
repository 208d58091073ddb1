package telenor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
)

// The token cache behind every Session.
//
// Design: the current token sits in an atomic pointer next to an atomic
// state word. A hot read is two atomic loads: no lock, no allocation, no
// clock read. Validity is state, not arithmetic: time.AfterFunc timers flip
// the state when the early-refresh window opens and when the safety margin
// before expiry is reached. Timers are not goroutines, so an idle Session
// costs two pending timers and nothing else. Timers hold the token weakly,
// so a dropped Session is collected at once; its timers fire into nothing
// by the token's expiry at the latest.
//
// A password-grant Session refreshes ahead of expiry: the first read inside
// the early-refresh window starts the one background fetch and returns the
// still-valid token. If the fetch fails, readers keep getting the valid
// token and a timer re-opens the window after a jittered backoff. Only when
// the token is past its safety margin (or was rejected) do callers wait,
// each bounded by its own context, on one shared fetch with its own timeout.
// A user Session has no fetch: past the margin it answers ErrReauthenticate.
//
// A rejection of the credentials themselves (invalid_grant, invalid_client)
// is final: resending a wrong password locks the system user out, so the
// cache drops its token and answers that error for ever, with no request.

// Token states. Readers return the token in every state but stateStale.
const (
	stateFresh      int32 = iota // valid, not yet time to refresh
	stateRefreshDue              // valid; the next reader starts a background refresh
	stateRefreshing              // valid; a refresh is running or backing off
	stateStale                   // past the safety margin, rejected or dropped
)

// Margins: a token is used until margin before it expires and refreshed from
// early before that. Both scale with the lifetime so a 5-second token is
// neither stale on arrival nor re-fetched on every call.
const (
	maxSafetyMargin = 30 * time.Second // margin = min(lifetime/10, this)
	maxEarlyRefresh = 5 * time.Minute  // early = min(lifetime/4, this)
)

// issued is a fetched token with the time its request was sent: expiry is
// counted from then, not from when the answer arrived.
type issued struct {
	tok  *oauth2.Token
	sent time.Time
}

// fetchFunc gets a new token. ctx carries the fetch's own deadline.
type fetchFunc func(ctx context.Context) (issued, error)

// cachedToken is one token with its state and the timers that drive it.
type cachedToken struct {
	tok   *oauth2.Token
	state atomic.Int32

	// Guarded by tokenCache.mu.
	staleTimer, dueTimer *time.Timer
}

// anyState makes after's transition unconditional.
const anyState int32 = -1

// after arms a timer that moves ct from state from (or from any state) to
// state to. The timer holds ct only weakly: a pending timer never keeps a
// dropped Session's token alive, and fires into nothing once it is gone.
func (ct *cachedToken) after(d time.Duration, from, to int32) *time.Timer {
	wp := weak.Make(ct)
	return time.AfterFunc(d, func() {
		ct := wp.Value()
		switch {
		case ct == nil:
		case from == anyState:
			ct.state.Store(to)
		default:
			ct.state.CompareAndSwap(from, to)
		}
	})
}

func (ct *cachedToken) stopTimers() {
	if ct.staleTimer != nil {
		ct.staleTimer.Stop()
	}
	if ct.dueTimer != nil {
		ct.dueTimer.Stop()
	}
}

// flight is one token fetch that any number of callers wait on.
type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

type tokenCache struct {
	cur     atomic.Pointer[cachedToken]
	fetch   fetchFunc // nil for a user Session: it cannot renew itself
	timeout time.Duration
	backoff backoff.Policy
	logger  *slog.Logger
	// rejected, when set, hears of each token invalidate dropped: a
	// TokenStore removes it for the fleet (token_store.go).
	rejected func(accessToken string)

	mu        sync.Mutex
	flight    *flight
	failures  int       // consecutive failed fetches
	lastErr   error     // the last failure, answered at once until failUntil
	failUntil time.Time // while no token is valid, fail fast instead of hammering
	final     error     // credentials rejected: answered for ever, never fetched again
	closed    bool

	// waits counts callers that had to block on a fetch: the number the
	// design promises stays at the cold start in steady state.
	waits atomic.Int64
}

// token returns a valid token, fetching one if needed. See the type comment.
func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	if ct := c.cur.Load(); ct != nil {
		switch ct.state.Load() {
		case stateFresh, stateRefreshing:
			return ct.tok, nil
		case stateRefreshDue:
			c.refreshAhead(ct)
			return ct.tok, nil
		}
	}
	return c.wait(ctx)
}

// refreshAhead starts the background refresh; only the reader that wins the
// state change does so.
func (c *tokenCache) refreshAhead(ct *cachedToken) {
	if !ct.state.CompareAndSwap(stateRefreshDue, stateRefreshing) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed && c.final == nil {
		c.startLocked()
	}
}

// wait is the slow path: no valid token, so join (or start) the one fetch.
func (c *tokenCache) wait(ctx context.Context) (*oauth2.Token, error) {
	if c.fetch == nil {
		return nil, ErrReauthenticate
	}
	c.mu.Lock()
	if ct := c.cur.Load(); ct != nil && ct.state.Load() != stateStale {
		c.mu.Unlock()
		return ct.tok, nil // a fetch finished while we took the lock
	}
	if c.final != nil {
		err := c.final
		c.mu.Unlock()
		return nil, err
	}
	if c.flight == nil && c.lastErr != nil && time.Now().Before(c.failUntil) {
		err := c.lastErr
		c.mu.Unlock()
		return nil, err
	}
	f := c.startLocked()
	c.mu.Unlock()

	c.waits.Add(1)
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// startLocked returns the running fetch, starting one if there is none.
func (c *tokenCache) startLocked() *flight {
	if c.flight != nil {
		return c.flight
	}
	f := &flight{done: make(chan struct{})}
	c.flight = f
	go c.run(f)
	return f
}

// run performs one fetch under the cache's own timeout, so that no caller's
// cancellation aborts a fetch that others are waiting for.
func (c *tokenCache) run(f *flight) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	got, err := c.fetch(ctx)
	if err != nil && ctx.Err() != nil && !isAuthError(err) {
		// The fetch's own deadline passed: say so, and do not wrap
		// context.DeadlineExceeded, which callers read as theirs. A body
		// cut by the deadline can look complete yet malformed to net/http,
		// so any failure but the server's own verdict counts as the timeout.
		err = fmt.Errorf("%w after %s", ErrTokenTimeout, c.timeout)
	}
	cancel()
	if err == nil && (got.tok == nil || got.tok.AccessToken == "") {
		err = fmt.Errorf("%w: token response has no access_token", ErrMalformedResponse)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flight = nil
	if err != nil {
		c.failedLocked(err)
	} else {
		c.failures, c.lastErr = 0, nil
		if !c.closed {
			c.installLocked(got.tok, got.sent)
		}
	}
	f.tok, f.err = got.tok, err
	close(f.done)
}

// failedLocked records a failed fetch. While the current token is still
// valid, readers keep it and the refresh window re-opens after a backoff.
func (c *tokenCache) failedLocked(err error) {
	if rejectsCredentials(err) {
		c.final = err
		c.dropLocked()
		c.logger.Warn("telenor: token endpoint rejected the credentials; this Session will not request tokens again",
			"error", err)
		return
	}
	c.failures++
	delay := c.backoff.Wait(c.failures-1, retryAfterOf(err))
	c.lastErr, c.failUntil = err, time.Now().Add(delay)
	ct := c.cur.Load()
	if ct == nil || ct.state.Load() != stateRefreshing || c.closed {
		c.logger.Warn("telenor: token fetch failed", "error", err, "failures", c.failures)
		return
	}
	c.logger.Warn("telenor: background token refresh failed; still using the current token",
		"error", err, "failures", c.failures, "retry_in", delay, "expires", ct.tok.Expiry)
	if ct.dueTimer != nil {
		ct.dueTimer.Stop()
	}
	ct.dueTimer = ct.after(delay, stateRefreshing, stateRefreshDue)
}

// installLocked makes tok the current token, sent at sent, and arms its timers.
func (c *tokenCache) installLocked(tok *oauth2.Token, sent time.Time) {
	ct := &cachedToken{tok: tok}
	refreshAt, staleAt := schedule(sent, tok.Expiry)
	now := time.Now()
	switch {
	case !staleAt.After(now):
		ct.state.Store(stateStale)
	default:
		ct.staleTimer = ct.after(staleAt.Sub(now), anyState, stateStale)
		if c.fetch == nil {
			break // a user token is never refreshed ahead
		}
		if refreshAt.After(now) {
			ct.dueTimer = ct.after(refreshAt.Sub(now), stateFresh, stateRefreshDue)
		} else {
			ct.state.Store(stateRefreshDue)
		}
	}
	if old := c.cur.Swap(ct); old != nil {
		old.stopTimers()
	}
	c.logger.Debug("telenor: new token cached", "expires", tok.Expiry, "refresh_at", refreshAt)
}

// set installs a token obtained outside the cache (a code exchange, or a
// token the app restored).
func (c *tokenCache) set(tok *oauth2.Token, sent time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.installLocked(tok, sent)
}

// schedule returns when to start refreshing and when to stop using a token
// that expires at expiry and whose request was sent at sent.
func schedule(sent, expiry time.Time) (refreshAt, staleAt time.Time) {
	life := expiry.Sub(sent)
	if life <= 0 {
		return expiry, expiry
	}
	margin := min(life/10, maxSafetyMargin)
	early := min(life/4, maxEarlyRefresh)
	return expiry.Add(-margin - early), expiry.Add(-margin)
}

// invalidate marks the token stale if and only if it is still the current
// one: a 401 for an old token must never drop a newer token.
func (c *tokenCache) invalidate(accessToken string) bool {
	ct := c.cur.Load()
	if ct == nil || ct.tok.AccessToken != accessToken {
		return false
	}
	ct.state.Store(stateStale)
	if c.rejected != nil {
		c.rejected(accessToken)
	}
	return true
}

// drop forgets the current token (after a logout).
func (c *tokenCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked()
}

func (c *tokenCache) dropLocked() {
	if old := c.cur.Swap(nil); old != nil {
		old.state.Store(stateStale)
		old.stopTimers()
	}
}

// close is the cleanup of a Session nobody references any more: a fetch
// still running discards its result instead of arming new timers. It
// stops no timer: cleanups run outside any testing/synctest bubble, where
// stopping a bubble's timer is fatal. The pending timers hold the token
// only weakly and fire into nothing by the token's expiry at the latest.
func (c *tokenCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
}

// rejectsCredentials reports whether err is the token endpoint refusing the
// credentials themselves, which sending them again cannot change.
func rejectsCredentials(err error) bool {
	return errors.Is(err, ErrInvalidGrant) || errors.Is(err, ErrInvalidClient)
}

// retryAfterOf returns the server's Retry-After carried by a typed error.
func retryAfterOf(err error) time.Duration {
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	var pe *APIError
	if errors.As(err, &pe) {
		return pe.RetryAfter
	}
	return 0
}
