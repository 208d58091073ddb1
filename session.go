package telenor

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/tokencache"
)

// session is what a SystemSession and a UserSession share: one identity's
// token cache and the client that sends its token. Each exported type
// holds one under a field name of its own, so that neither converts to the
// other: a company method cannot be called on an end user's session nor a
// Mobile User API method on a system user's. Which one a session is, the
// cache alone decides (tokenCache.endUser).
type session struct {
	client *Client
	cache  tokencache.Cache
	hc     atomic.Pointer[http.Client]  // built on first use: a restore stays cheap
	bearer atomic.Pointer[bearerHeader] // Authorization value of the last token sent
}

// SystemSession is a company system user's session, from
// Client.PasswordGrant: it reads the company's data (Organizations,
// Accounts, Agreements, MobileSubscriptions). Its token is cached and
// refreshed in the background before it expires, so in steady state no
// caller waits. It is safe for any number of goroutines; share one per
// system user. It needs no closing: no goroutine runs for an idle one,
// and a dropped one is collected at once.
type SystemSession struct{ system session }

// UserSession is an end user's session, from Client.HandleCallback,
// Client.Exchange or Client.RestoreUserSession: it reads the Mobile User
// API (UserInfo, DeviceInfo). It cannot renew its token: once the token
// expires or the API rejects it, calls return an error matching
// ErrReauthenticate and the user must log in again. It is safe for any
// number of goroutines, needs no closing, and costs little to restore
// per request: no goroutine, no timer.
type UserSession struct{ user session }

// Token returns a valid access token: the cached one without locking,
// allocating or reading the clock, or else the one shared fetch's, waiting
// until ctx ends (ctx bounds only this caller's wait). Its Expiry counts
// from when the token request was sent. The token is shared: do not
// modify it.
func (s *SystemSession) Token(ctx context.Context) (*oauth2.Token, error) {
	return s.core().token(ctx)
}

// Token returns the user's token until a safety margin before it expires
// (a tenth of its lifetime, at most 30 seconds), and after Invalidate or
// Logout, an error matching ErrReauthenticate. The token is shared: do not
// modify it.
func (s *UserSession) Token(ctx context.Context) (*oauth2.Token, error) {
	return s.core().token(ctx)
}

// TokenSource adapts the session to oauth2.TokenSource, for libraries
// that take one. ctx bounds every wait for a token made through it.
func (s *SystemSession) TokenSource(ctx context.Context) oauth2.TokenSource {
	return tokenSource{ctx, s.core()}
}

// TokenSource adapts the session to oauth2.TokenSource.
func (s *UserSession) TokenSource(ctx context.Context) oauth2.TokenSource {
	return tokenSource{ctx, s.core()}
}

// HTTPClient returns an *http.Client for Telenor's APIs that authenticates
// as the system user; see UserSession.HTTPClient. A 401 for a rejected
// token (40105, 40106) gets one new token and replays the request once.
func (s *SystemSession) HTTPClient() *http.Client { return s.core().httpClient() }

// HTTPClient returns an *http.Client for Telenor's APIs that authenticates
// as this session. It adds "Authorization: Bearer <token>" only to
// requests with the scheme and host of Config.BaseURL, and to
// Endpoint.LogoutURL, never to a redirect that leaves them; sets "Accept:
// application/json" and the SDK's User-Agent unless the request has its
// own; and retries GETs on 429 spike arrest, 5xx and connection failures
// with jittered backoff that honours Retry-After. A 401 for a rejected
// token (40105, 40106) invalidates the token. Requests to other hosts pass
// through untouched. It shares Config.HTTPClient's transport, timeout and
// cookie jar; every call returns the same client.
func (s *UserSession) HTTPClient() *http.Client { return s.core().httpClient() }

// Invalidate tells the session that the API rejected accessToken. It drops
// the token only if it is still the cached one, so a late 401 for an old
// token never throws away a newer one, and reports whether it did. The
// next Token call fetches a new token.
func (s *SystemSession) Invalidate(accessToken string) bool {
	return s.core().invalidate(accessToken)
}

// Invalidate is SystemSession.Invalidate for the user's token; Token then
// returns ErrReauthenticate.
func (s *UserSession) Invalidate(accessToken string) bool {
	return s.core().invalidate(accessToken)
}

// Logout invalidates the token at Telenor and drops it; see
// UserSession.Logout. The next call fetches a new token.
func (s *SystemSession) Logout(ctx context.Context) error { return s.core().logout(ctx) }

// Logout invalidates the token at Telenor (GET Endpoint.LogoutURL with the
// Bearer token) and drops it whatever the outcome: the next call returns
// ErrReauthenticate. It returns nil only when the gateway confirms with
// 200 "OK!"; a redirect is not followed. Any other answer is an error
// holding an *APIError, and the
// token may then stay valid at Telenor until it expires. A 401 is not
// replayed with a new token, which would only log that one out.
func (s *UserSession) Logout(ctx context.Context) error { return s.core().logout(ctx) }

// RestoreUserSession returns the end user's session for a token the app
// stored earlier (from UserSession.Token, after HandleCallback). It is
// cheap enough to call per request: it copies the token (the caller keeps
// tok) and starts nothing. The session cannot renew the token: once it
// expires or the API rejects it, calls return ErrReauthenticate.
//
// A token with no Expiry is assumed to live DefaultTokenLifetime from
// now, never forever. A nil or empty token gives a session whose calls
// return ErrReauthenticate.
func (c *Client) RestoreUserSession(tok *oauth2.Token) *UserSession {
	return c.newUserSession(tok, time.Time{})
}

// newUserSession returns an end user's session holding a copy of tok,
// whose request was sent at sent (zero: unknown, a restored token).
func (c *Client) newUserSession(tok *oauth2.Token, sent time.Time) *UserSession {
	s := &UserSession{user: session{client: c}}
	if tok != nil && tok.AccessToken != "" {
		s.user.cache.Restore(tokencache.NewEntry(tok, sent, DefaultTokenLifetime))
	}
	return s
}

// newSystemSession returns a system user's session that gets its tokens
// from fetch.
func (c *Client) newSystemSession(fetch tokencache.FetchFunc) *SystemSession {
	return &SystemSession{system: session{client: c, cache: tokencache.Cache{Sys: c.newRefresher(fetch)}}}
}

// core returns the session underneath; nil for a nil s.
func (s *SystemSession) core() *session {
	if s == nil {
		return nil
	}
	return &s.system
}

// core returns the session underneath; nil for a nil s.
func (s *UserSession) core() *session {
	if s == nil {
		return nil
	}
	return &s.user
}

// errNoSession is what a nil or zero session answers.
func errNoSession() error {
	return configError("session", "is nil or zero; create it with a Client")
}

func (s *session) token(ctx context.Context) (*oauth2.Token, error) {
	if s == nil || s.client == nil {
		return nil, errNoSession()
	}
	return cacheToken(ctx, &s.cache)
}

func (s *session) invalidate(accessToken string) bool {
	return s != nil && s.cache.Invalidate(accessToken)
}

// httpClient returns the session's API client, building it on first use.
func (s *session) httpClient() *http.Client {
	if s == nil || s.client == nil {
		return nil
	}
	if hc := s.hc.Load(); hc != nil {
		return hc
	}
	s.hc.CompareAndSwap(nil, s.client.newAPIHTTPClient(s))
	return s.hc.Load()
}

type tokenSource struct {
	ctx context.Context
	s   *session
}

// Token implements oauth2.TokenSource.
func (ts tokenSource) Token() (*oauth2.Token, error) { return ts.s.token(ts.ctx) }

// String describes the session without its token.
func (s *SystemSession) String() string { return describe("SystemSession", s == nil) }

// Format makes every fmt verb print String's form: printing a session
// reads none of its state, so it neither races with its use nor shows a
// secret.
func (s *SystemSession) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// String describes the session without its token.
func (s *UserSession) String() string { return describe("UserSession", s == nil) }

// Format makes every fmt verb print String's form; see SystemSession.Format.
func (s *UserSession) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

func describe(kind string, isNil bool) string {
	if isNil {
		return "telenor." + kind + "(nil)"
	}
	return "telenor." + kind + "{token: " + redacted + "}"
}
