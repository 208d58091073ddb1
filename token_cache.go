package telenor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/tokencache"
)

// The token cache behind every session (internal/tokencache): one cachedToken (a token and its
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

// issued is a fetched token with the time its request was sent: expiry is
// counted from then, not from when the answer arrived.
type issued = tokencache.Issued

// newRefresher returns the fetching side of a system session's cache,
// with the SDK's errors and Observer.
func (c *Client) newRefresher(fetch tokencache.FetchFunc) *tokencache.Refresher {
	r := &tokencache.Refresher{
		Fetch: fetch, Timeout: c.tokenWait, Backoff: c.backoffPolicy(), Logger: c.logger,
		DefaultLife: DefaultTokenLifetime, Final: rejectsCredentials, RetryAfter: retryAfterOf,
		NoToken: fmt.Errorf("%w: token response has no access_token", ErrMalformedResponse),
		TimedOut: func(err error, timeout time.Duration) error {
			// Not the caller's deadline: do not wrap context.DeadlineExceeded,
			// which callers read as theirs. A body cut by the deadline can look
			// complete yet malformed to net/http, so any failure but the
			// server's own verdict counts as the timeout.
			if errors.As(err, new(*AuthError)) {
				return err
			}
			return fmt.Errorf("%w after %s", ErrTokenTimeout, timeout)
		},
	}
	if obs := c.observer; obs != nil {
		r.Observe = func(ctx context.Context, background bool) (context.Context, func(context.Context, error)) {
			return c.observeFetch(ctx, TokenFetch{Grant: GrantPassword, Background: background})
		}
		r.Waited = func(ctx context.Context, d time.Duration, err error) {
			obs.TokenWait(ctx, TokenWait{Duration: d, Err: err})
		}
	}
	return r
}

// cacheToken is the cache's token, with an end user's missing one as
// ErrReauthenticate.
func cacheToken(ctx context.Context, c *tokencache.Cache) (*oauth2.Token, error) {
	tok, err := c.Token(ctx)
	if err == tokencache.ErrStale {
		return nil, ErrReauthenticate
	}
	return tok, err
}
