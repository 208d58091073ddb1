// Package tokencache is the token cache behind every session: one Entry (a
// token and its state) at a time, and for a system session a Refresher that
// fetches. The states, transitions and invariants are tabled at the top of
// the root package's token_cache.go.
package tokencache

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
)

// ErrStale is what an end user's cache answers without a valid token.
var ErrStale = errors.New("tokencache: no valid token")

// Token states; see the table at the top of the root package's token_cache.go.
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
	MaxSafetyMargin = 30 * time.Second // margin = min(lifetime/10, this)
	MaxEarlyRefresh = 5 * time.Minute  // early = min(lifetime/4, this)
)

// issued is a fetched token with the time its request was sent: expiry is
// counted from then, not from when the answer arrived.
type Issued struct {
	Tok  *oauth2.Token
	Sent time.Time
}

// FetchFunc gets a new token. ctx carries the fetch's own deadline.
type FetchFunc func(ctx context.Context) (Issued, error)

// Entry is one token with its state. The token is held by value so
// that a restored user session allocates it together with its state.
type Entry struct {
	tok     oauth2.Token
	state   atomic.Int32
	staleAt time.Time // read by an end user's Token; a system session's timer acts on it

	// Guarded by refresher.mu.
	staleTimer, dueTimer *time.Timer
}

type Cache struct {
	cur atomic.Pointer[Entry]
	Sys *Refresher // nil for an end user: see endUser
}

// endUser reports whether the cache holds an end user's token, which it
// cannot renew. It is the one place where the two identities differ.
func (c *Cache) EndUser() bool { return c.Sys == nil }

// refresher is the part of a system session's cache that fetches.
type Refresher struct {
	Fetch   FetchFunc
	Timeout time.Duration
	Backoff backoff.Policy
	Logger  *slog.Logger
	// DefaultLife is the lifetime of a fetched token without an expiry.
	DefaultLife time.Duration
	// Rejected, when set, hears of each token Invalidate dropped: a
	// TokenStore removes it for the fleet.
	Rejected func(accessToken string)
	// Final reports an error that rejects the credentials themselves:
	// the cache then answers it for ever and never fetches again.
	Final func(error) bool
	// RetryAfter is the server's wait carried by a fetch error.
	RetryAfter func(error) time.Duration
	// TimedOut is the error for err from a fetch whose own deadline passed.
	TimedOut func(err error, timeout time.Duration) error
	// NoToken is the error for a fetch that returned no access token.
	NoToken error
	// Observe, if set, is told of each fetch starting (background: ahead
	// of expiry) and returns the fetch's context and the report of its end.
	Observe func(ctx context.Context, background bool) (context.Context, func(context.Context, error))
	// Waited, if set, is told of each caller's wait for a fetch.
	Waited func(ctx context.Context, d time.Duration, err error)

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
func (c *Cache) Token(ctx context.Context) (*oauth2.Token, error) {
	ct := c.cur.Load()
	if c.EndUser() {
		if ct == nil || ct.state.Load() == stateStale || !time.Now().Before(ct.staleAt) {
			return nil, ErrStale
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
func (c *Cache) refreshAhead(ctx context.Context, ct *Entry) {
	if !ct.state.CompareAndSwap(stateDue, stateRefreshing) {
		return
	}
	r := c.Sys
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.final == nil {
		c.startLocked(ctx, true)
	}
}

// wait is the slow path of a system session: no valid token, so join (or
// start) the one fetch.
func (c *Cache) wait(ctx context.Context) (*oauth2.Token, error) {
	r := c.Sys
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
func (r *Refresher) await(ctx context.Context, f *flight) (tok *oauth2.Token, err error) {
	var start time.Time
	if r.Waited != nil {
		start = time.Now()
	}
	select {
	case <-f.done:
		tok, err = f.tok, f.err
	case <-ctx.Done():
		err = ctx.Err()
	}
	if r.Waited != nil {
		r.Waited(ctx, time.Since(start), err)
	}
	return tok, err
}

// startLocked returns the running fetch, starting one for the caller whose
// context is trigger if there is none; background: ahead of expiry.
func (c *Cache) startLocked(trigger context.Context, background bool) *flight {
	r := c.Sys
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
func (c *Cache) run(trigger context.Context, f *flight, background bool) {
	r := c.Sys
	if trigger == nil {
		trigger = context.Background()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(trigger), r.Timeout)
	end := func(context.Context, error) {}
	if r.Observe != nil {
		ctx, end = r.Observe(ctx, background)
	}
	got, err := r.Fetch(ctx)
	if err != nil && ctx.Err() != nil {
		// The fetch's own deadline passed: say so, and do not wrap
		// context.DeadlineExceeded, which callers read as theirs. A body
		// cut by the deadline can look complete yet malformed to net/http,
		// so any failure but the server's own verdict counts as the timeout.
		err = r.TimedOut(err, r.Timeout)
	}
	cancel()
	if err == nil && (got.Tok == nil || got.Tok.AccessToken == "") {
		err = r.NoToken
	}
	end(ctx, err)
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
func (c *Cache) failedLocked(ctx context.Context, err error) {
	r := c.Sys
	if r.Final(err) {
		r.final = err
		c.dropLocked()
		r.Logger.WarnContext(ctx, "telenor: token endpoint rejected the credentials; this session will not request tokens again",
			"error", err)
		return
	}
	r.failures++
	delay := r.Backoff.Wait(r.failures-1, r.RetryAfter(err))
	r.lastErr, r.failUntil = err, time.Now().Add(delay)
	ct := c.cur.Load()
	if ct == nil || ct.state.Load() != stateRefreshing {
		r.Logger.WarnContext(ctx, "telenor: token fetch failed", "error", err, "failures", r.failures)
		return
	}
	r.Logger.WarnContext(ctx, "telenor: background token refresh failed; still using the current token",
		"error", err, "failures", r.failures, "retry_in", delay, "expires", ct.tok.Expiry)
	if ct.dueTimer != nil {
		ct.dueTimer.Stop()
	}
	ct.dueTimer = ct.after(delay, stateRefreshing, stateDue)
}

// installLocked makes got the current token of a system session and arms
// its timers.
func (c *Cache) installLocked(ctx context.Context, got Issued) {
	ct := NewEntry(got.Tok, got.Sent, c.Sys.DefaultLife)
	refreshAt, _ := Schedule(got.Sent, ct.tok.Expiry)
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
	c.Sys.Logger.DebugContext(ctx, "telenor: new token cached", "expires", ct.tok.Expiry, "refresh_at", refreshAt)
}

// NewEntry copies tok (its owner keeps it), whose request was sent at
// sent, and notes when it goes stale. A token without an expiry lives
// deflt, never forever (a fetched token always has one). A restored token has no send time
// (sent is zero): its lifetime is its ExpiresIn, which x/oauth2 stores
// with it, and when that is unknown too the margin is the largest one. So
// a restore reads the clock only for a token without an expiry.
func NewEntry(tok *oauth2.Token, sent time.Time, deflt time.Duration) *Entry {
	ct := &Entry{tok: *tok}
	if ct.tok.Expiry.IsZero() {
		if sent.IsZero() {
			sent = time.Now()
		}
		ct.tok.Expiry = sent.Add(deflt)
	}
	if sent.IsZero() {
		life := time.Duration(tok.ExpiresIn) * time.Second
		if life <= 0 {
			life = 10 * MaxSafetyMargin // unknown: the largest margin
		}
		sent = ct.tok.Expiry.Add(-life)
	}
	_, ct.staleAt = Schedule(sent, ct.tok.Expiry)
	return ct
}

// schedule returns when to start refreshing and when to stop using a token
// that expires at expiry and whose request was sent at sent.
func Schedule(sent, expiry time.Time) (refreshAt, staleAt time.Time) {
	life := expiry.Sub(sent)
	if life <= 0 {
		return expiry, expiry
	}
	margin := min(life/10, MaxSafetyMargin)
	early := min(life/4, MaxEarlyRefresh)
	return expiry.Add(-margin - early), expiry.Add(-margin)
}

// after arms a timer that moves ct from state from (or from any state,
// when from is negative) to state to. The timer holds ct only weakly: a
// pending timer never keeps a dropped session's token alive.
func (ct *Entry) after(d time.Duration, from, to int32) *time.Timer {
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

func (ct *Entry) stopTimers() {
	for _, t := range [...]*time.Timer{ct.staleTimer, ct.dueTimer} {
		if t != nil {
			t.Stop()
		}
	}
}

// invalidate marks the token stale if and only if it is still the current
// one: a 401 for an old token must never drop a newer token.
func (c *Cache) Invalidate(accessToken string) bool {
	ct := c.cur.Load()
	if ct == nil || ct.tok.AccessToken != accessToken {
		return false
	}
	ct.state.Store(stateStale)
	if c.Sys != nil && c.Sys.Rejected != nil {
		c.Sys.Rejected(accessToken)
	}
	return true
}

// drop forgets the current token (after a logout).
func (c *Cache) Drop() {
	if c.Sys != nil {
		c.Sys.mu.Lock() // the timers are guarded by it
		defer c.Sys.mu.Unlock()
	}
	c.dropLocked()
}

func (c *Cache) dropLocked() {
	if old := c.cur.Swap(nil); old != nil {
		old.state.Store(stateStale)
		old.stopTimers()
	}
}

// Current returns the current entry, or nil.
func (c *Cache) Current() *Entry { return c.cur.Load() }

// Restore makes e the current entry of an end user's cache before the
// cache is handed out.
func (c *Cache) Restore(e *Entry) { c.cur.Store(e) }
