package telenor

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
)

// The token cache behind every session: one cachedToken (a token and its
// state) at a time, and for a system session a refresher that fetches.
//
//	token state   from         by
//	fresh         (new)        install: a fetch, an exchange or a restore
//	due           fresh        the due timer, when the refresh window opens (system)
//	              refreshing   the backoff timer after a failed refresh (system)
//	refreshing    due          the first reader (CAS), who starts the background fetch
//	stale         any          the stale timer at the safety margin (system),
//	                           Invalidate, drop (Logout, rejected credentials)
//	              (new)        install of a token already past its margin
//	refresher     from         by
//	failing       ok           a failed fetch: lastErr is answered until failUntil
//	ok            failing      a successful fetch
//	final         any          the token endpoint rejecting the credentials
//
// Token returns the token in fresh, due and refreshing. In stale a system
// session waits for (or starts) the one fetch; a user session answers
// ErrReauthenticate. A system session's timers make the hot read two atomic
// loads, with no lock, no allocation and no clock read; they hold the token
// weakly, so a dropped session is collected at once. A user session has no
// timers (a restore must cost little): its token is fresh or stale, and
// Token checks the margin against the clock.
//
// Invariants:
//   - cur is written only under refresher.mu (install, drop) in a system
//     session; in a user session only before it is handed out, and by
//     drop (Logout).
//   - stale is absorbing for a cachedToken: only a new one, from a
//     successful fetch, is valid again.
//   - final is absorbing for the cache: credentials the token endpoint
//     rejected (invalid_grant, invalid_client) are never sent again, since
//     every resend of a wrong password counts towards locking the system
//     user out; the cache answers that error for ever, without a request.
//   - at most one fetch is in flight (refresher.flight, under mu); each
//     caller's context bounds only its own wait, the refresher's timeout
//     the fetch.
//   - a failed refresh keeps the valid token.

// Token states; see the table above.
const (
	stateFresh int32 = iota
	stateDue
	stateRefreshing
	stateStale
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

// cachedToken is one token with its state. The token is held by value so
// that a restored user session allocates it together with its state.
type cachedToken struct {
	tok     oauth2.Token
	state   atomic.Int32
	staleAt time.Time // read by an end user's Token; a system session's timer acts on it

	// Guarded by refresher.mu.
	staleTimer, dueTimer *time.Timer
}

type tokenCache struct {
	cur atomic.Pointer[cachedToken]
	sys *refresher // nil for an end user: see endUser
}

// endUser reports whether the cache holds an end user's token, which it
// cannot renew. It is the one place where the two identities differ.
func (c *tokenCache) endUser() bool { return c.sys == nil }

// refresher is the part of a system session's cache that fetches.
type refresher struct {
	fetch   fetchFunc
	timeout time.Duration
	backoff backoff.Policy
	logger  *slog.Logger
	obs     Observer // nil: none
	// rejected, when set, hears of each token invalidate dropped: a
	// TokenStore removes it for the fleet (token_store.go).
	rejected func(accessToken string)

	mu        sync.Mutex
	flight    *flight
	failures  int       // consecutive failed fetches
	lastErr   error     // the last failure, answered at once until failUntil
	failUntil time.Time // while no token is valid, fail fast instead of hammering
	final     error     // credentials rejected: answered for ever, never fetched again
}

// flight is one token fetch that any number of callers wait on.
type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// token returns a valid token, fetching one if needed (system sessions).
func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	ct := c.cur.Load()
	if c.endUser() {
		if ct == nil || ct.state.Load() == stateStale || !time.Now().Before(ct.staleAt) {
			return nil, ErrReauthenticate
		}
		return &ct.tok, nil
	}
	if ct != nil {
		switch ct.state.Load() {
		case stateFresh, stateRefreshing:
			return &ct.tok, nil
		case stateDue:
			c.refreshAhead(ctx, ct)
			return &ct.tok, nil
		}
	}
	return c.wait(ctx)
}

// refreshAhead starts the background refresh; only the reader that wins the
// state change does so, and the fetch keeps the values of its ctx.
func (c *tokenCache) refreshAhead(ctx context.Context, ct *cachedToken) {
	if !ct.state.CompareAndSwap(stateDue, stateRefreshing) {
		return
	}
	r := c.sys
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.final == nil {
		c.startLocked(ctx, true)
	}
}

// wait is the slow path of a system session: no valid token, so join (or
// start) the one fetch.
func (c *tokenCache) wait(ctx context.Context) (*oauth2.Token, error) {
	r := c.sys
	r.mu.Lock()
	if ct := c.cur.Load(); ct != nil && ct.state.Load() != stateStale {
		r.mu.Unlock()
		return &ct.tok, nil // a fetch finished while we took the lock
	}
	if r.final != nil {
		err := r.final
		r.mu.Unlock()
		return nil, err
	}
	if r.flight == nil && r.lastErr != nil && time.Now().Before(r.failUntil) {
		err := r.lastErr
		r.mu.Unlock()
		return nil, err
	}
	f := c.startLocked(ctx, false)
	r.mu.Unlock()
	return r.await(ctx, f)
}

// await waits until f ends or ctx does, and reports the wait.
func (r *refresher) await(ctx context.Context, f *flight) (tok *oauth2.Token, err error) {
	var start time.Time
	if r.obs != nil {
		start = time.Now()
	}
	select {
	case <-f.done:
		tok, err = f.tok, f.err
	case <-ctx.Done():
		err = ctx.Err()
	}
	if r.obs != nil {
		r.obs.TokenWait(ctx, TokenWait{Duration: time.Since(start), Err: err})
	}
	return tok, err
}

// startLocked returns the running fetch, starting one for the caller whose
// context is trigger if there is none; background: ahead of expiry.
func (c *tokenCache) startLocked(trigger context.Context, background bool) *flight {
	r := c.sys
	if r.flight == nil {
		r.flight = &flight{done: make(chan struct{})}
		go c.run(trigger, r.flight, background)
	}
	return r.flight
}

// run performs one fetch under the refresher's own timeout, so that no
// caller's cancellation aborts a fetch that others are waiting for. It
// keeps the values of the context that triggered it (a trace, a logger's
// attributes), so that its requests and logs belong to that caller's.
func (c *tokenCache) run(trigger context.Context, f *flight, background bool) {
	r := c.sys
	if trigger == nil {
		trigger = context.Background()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(trigger), r.timeout)
	report := TokenFetch{Grant: GrantPassword, Background: background}
	ctx, start := fetchStart(r.obs, ctx, report)
	got, err := r.fetch(ctx)
	if err != nil && ctx.Err() != nil && !isAuthError(err) {
		// The fetch's own deadline passed: say so, and do not wrap
		// context.DeadlineExceeded, which callers read as theirs. A body
		// cut by the deadline can look complete yet malformed to net/http,
		// so any failure but the server's own verdict counts as the timeout.
		err = fmt.Errorf("%w after %s", ErrTokenTimeout, r.timeout)
	}
	cancel()
	if err == nil && (got.tok == nil || got.tok.AccessToken == "") {
		err = fmt.Errorf("%w: token response has no access_token", ErrMalformedResponse)
	}
	fetchEnd(r.obs, ctx, report, start, err)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flight = nil
	if err != nil {
		c.failedLocked(ctx, err)
	} else {
		r.failures, r.lastErr = 0, nil
		c.installLocked(ctx, got)
		f.tok = &c.cur.Load().tok
	}
	f.err = err
	close(f.done)
}

// failedLocked records a failed fetch. While the current token is still
// valid, readers keep it and the refresh window re-opens after a backoff.
func (c *tokenCache) failedLocked(ctx context.Context, err error) {
	r := c.sys
	if rejectsCredentials(err) {
		r.final = err
		c.dropLocked()
		r.logger.WarnContext(ctx, "telenor: token endpoint rejected the credentials; this session will not request tokens again",
			"error", err)
		return
	}
	r.failures++
	delay := r.backoff.Wait(r.failures-1, retryAfterOf(err))
	r.lastErr, r.failUntil = err, time.Now().Add(delay)
	ct := c.cur.Load()
	if ct == nil || ct.state.Load() != stateRefreshing {
		r.logger.WarnContext(ctx, "telenor: token fetch failed", "error", err, "failures", r.failures)
		return
	}
	r.logger.WarnContext(ctx, "telenor: background token refresh failed; still using the current token",
		"error", err, "failures", r.failures, "retry_in", delay, "expires", ct.tok.Expiry)
	if ct.dueTimer != nil {
		ct.dueTimer.Stop()
	}
	ct.dueTimer = ct.after(delay, stateRefreshing, stateDue)
}

// installLocked makes got the current token of a system session and arms
// its timers.
func (c *tokenCache) installLocked(ctx context.Context, got issued) {
	ct := newCachedToken(got.tok, got.sent)
	refreshAt, _ := schedule(got.sent, ct.tok.Expiry)
	switch now := time.Now(); {
	case !ct.staleAt.After(now):
		ct.state.Store(stateStale)
	case !refreshAt.After(now):
		ct.state.Store(stateDue)
		ct.staleTimer = ct.after(ct.staleAt.Sub(now), -1, stateStale)
	default:
		ct.staleTimer = ct.after(ct.staleAt.Sub(now), -1, stateStale)
		ct.dueTimer = ct.after(refreshAt.Sub(now), stateFresh, stateDue)
	}
	if old := c.cur.Swap(ct); old != nil {
		old.stopTimers()
	}
	c.sys.logger.DebugContext(ctx, "telenor: new token cached", "expires", ct.tok.Expiry, "refresh_at", refreshAt)
}

// newCachedToken copies tok (its owner keeps it), whose request was sent
// at sent, and notes when it goes stale. A token without an expiry lives
// DefaultTokenLifetime, never forever. A restored token has no send time
// (sent is zero): its lifetime is its ExpiresIn, which x/oauth2 stores
// with it, and when that is unknown too the margin is the largest one. So
// a restore reads the clock only for a token without an expiry.
func newCachedToken(tok *oauth2.Token, sent time.Time) *cachedToken {
	ct := &cachedToken{tok: *tok}
	if ct.tok.Expiry.IsZero() {
		if sent.IsZero() {
			sent = time.Now()
		}
		ct.tok.Expiry = sent.Add(DefaultTokenLifetime)
	}
	if sent.IsZero() {
		life := time.Duration(tok.ExpiresIn) * time.Second
		if life <= 0 {
			life = 10 * maxSafetyMargin // unknown: the largest margin
		}
		sent = ct.tok.Expiry.Add(-life)
	}
	_, ct.staleAt = schedule(sent, ct.tok.Expiry)
	return ct
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

// after arms a timer that moves ct from state from (or from any state,
// when from is negative) to state to. The timer holds ct only weakly: a
// pending timer never keeps a dropped session's token alive.
func (ct *cachedToken) after(d time.Duration, from, to int32) *time.Timer {
	wp := weak.Make(ct)
	return time.AfterFunc(d, func() {
		switch ct := wp.Value(); {
		case ct == nil:
		case from < 0:
			ct.state.Store(to)
		default:
			ct.state.CompareAndSwap(from, to)
		}
	})
}

func (ct *cachedToken) stopTimers() {
	for _, t := range [...]*time.Timer{ct.staleTimer, ct.dueTimer} {
		if t != nil {
			t.Stop()
		}
	}
}

// invalidate marks the token stale if and only if it is still the current
// one: a 401 for an old token must never drop a newer token.
func (c *tokenCache) invalidate(accessToken string) bool {
	ct := c.cur.Load()
	if ct == nil || ct.tok.AccessToken != accessToken {
		return false
	}
	ct.state.Store(stateStale)
	if c.sys != nil && c.sys.rejected != nil {
		c.sys.rejected(accessToken)
	}
	return true
}

// drop forgets the current token (after a logout).
func (c *tokenCache) drop() {
	if c.sys != nil {
		c.sys.mu.Lock() // the timers are guarded by it
		defer c.sys.mu.Unlock()
	}
	c.dropLocked()
}

func (c *tokenCache) dropLocked() {
	if old := c.cur.Swap(nil); old != nil {
		old.state.Store(stateStale)
		old.stopTimers()
	}
}
