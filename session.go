package telenor

import (
	"context"
	"net/http"
	"runtime"
	"time"

	"golang.org/x/oauth2"
)

// sessionKind tells a system user's Session, which can fetch its own tokens,
// from an end user's, which cannot.
type sessionKind int

const (
	sessionSystem sessionKind = iota // password grant: re-fetches with the system user
	sessionUser                      // authorization code: the user must log in again
)

// Session holds one identity's token: a company system user's (from
// Client.PasswordGrant) or an end user's (from Client.HandleCallback,
// Client.Exchange or Client.Session). It is safe for any number of
// goroutines; share one per identity.
//
// A Session needs no closing. Dropping the last reference releases it:
// no goroutine runs for an idle Session, and its pending timers hold
// nothing but a weak reference. A fetch still running when the Session is
// collected finishes and discards its token.
type Session struct {
	client *Client
	kind   sessionKind
	cache  *tokenCache
	hc     *http.Client // HTTPClient: the API path every typed method uses
	bearer bearerCache  // Authorization value of the last token sent
}

func (c *Client) newSession(kind sessionKind, fetch fetchFunc) *Session {
	s := &Session{client: c, kind: kind, cache: &tokenCache{
		fetch:   fetch,
		timeout: c.tokenWait,
		backoff: c.backoffPolicy(),
		logger:  c.logger,
	}}
	s.hc = c.newAPIHTTPClient(s)
	runtime.AddCleanup(s, (*tokenCache).close, s.cache)
	return s
}

// Token returns a valid access token. A cached token is returned without
// locking or allocating. When none is valid, Token waits for the one shared
// fetch until ctx ends; ctx bounds only this caller's wait.
//
// The returned *oauth2.Token is shared: do not modify it. Its Expiry is
// counted from when the token request was sent, and is never zero.
//
// A user Session whose token has expired or was rejected returns an error
// matching ErrReauthenticate.
func (s *Session) Token(ctx context.Context) (*oauth2.Token, error) {
	if s == nil || s.cache == nil {
		return nil, configError("Session", "is nil; create it with a Client")
	}
	return s.cache.token(ctx)
}

// TokenSource adapts the Session to oauth2.TokenSource, for libraries that
// take one. ctx bounds every wait for a token made through it.
func (s *Session) TokenSource(ctx context.Context) oauth2.TokenSource {
	return tokenSource{ctx: ctx, s: s}
}

type tokenSource struct {
	ctx context.Context
	s   *Session
}

// Token implements oauth2.TokenSource.
func (ts tokenSource) Token() (*oauth2.Token, error) { return ts.s.Token(ts.ctx) }

// Invalidate tells the Session that the API rejected accessToken. It drops
// the token only if it is still the cached one, so a late 401 for an old
// token never throws away a newer one. It reports whether it dropped it.
// The next Token call of a system user's Session fetches a new token; a
// user Session answers ErrReauthenticate.
func (s *Session) Invalidate(accessToken string) bool {
	if s == nil || s.cache == nil {
		return false
	}
	return s.cache.invalidate(accessToken)
}

// Session restores an end user's Session from a token the app stored
// earlier (for example in its own session store after HandleCallback).
// The Session cannot renew the token: once it expires or the API rejects
// it, calls return ErrReauthenticate and the user must log in again.
//
// A token with no Expiry is assumed to live DefaultTokenLifetime from
// now, never forever. A nil or empty token gives a Session whose calls
// return ErrReauthenticate.
func (c *Client) Session(tok *oauth2.Token) *Session {
	s := c.newSession(sessionUser, nil)
	if tok == nil || tok.AccessToken == "" {
		return s
	}
	now := time.Now()
	t := *tok // the caller keeps ownership of tok
	if t.Expiry.IsZero() {
		t.Expiry = now.Add(DefaultTokenLifetime)
	}
	s.cache.set(&t, now)
	return s
}
