package telenortest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/telenor-go/telenor/internal/gateway"
)

// DefaultExpiresIn is how long issued tokens live, and so the expires_in
// the token response sends, unless [WithTokenLifetime] or
// [Server.SetTokenLifetime] says otherwise: 3599 seconds, the value
// Telenor documents.
const DefaultExpiresIn = 3599 * time.Second

// WithTokenLifetime sets the lifetime of issued tokens; expires_in is d in
// whole seconds, truncated. Zero or negative lifetimes are allowed and
// issue tokens that are already expired.
func WithTokenLifetime(d time.Duration) Option {
	return func(o *options) { o.lifetime = d }
}

// TokenInfo is what the server remembers about an access token it issued.
type TokenInfo struct {
	Subject   string    // who the token is for: a system user's name, or a subscriber's mobile number
	ClientID  string    // the OAuth client that obtained it
	IssuedAt  time.Time // when it was issued
	ExpiresAt time.Time // when it stops being valid
	Revoked   bool      // whether Revoke was called for it
}

// Expired reports whether the token has expired at now.
func (t TokenInfo) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// tokenStore records issued tokens and the lifetime of new ones.
type tokenStore struct {
	mu       sync.Mutex
	lifetime time.Duration
	tokens   map[string]*TokenInfo
}

func newTokenStore(lifetime time.Duration) tokenStore {
	return tokenStore{lifetime: lifetime, tokens: map[string]*TokenInfo{}}
}

// randomHex returns n random bytes in hex: tokens, codes, request ids.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}

// issue creates and records a new random token: 40 hex characters.
func (ts *tokenStore) issue(subject, clientID string) (string, TokenInfo) {
	token := randomHex(20)
	now := time.Now()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	info := TokenInfo{Subject: subject, ClientID: clientID, IssuedAt: now, ExpiresAt: now.Add(ts.lifetime)}
	ts.tokens[token] = &info
	return token, info
}

// update calls f on the record of token, if there is one.
func (ts *tokenStore) update(token string, f func(*TokenInfo)) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if info, ok := ts.tokens[token]; ok {
		f(info)
	}
}

// SetTokenLifetime changes the lifetime of tokens issued from now on (see
// [WithTokenLifetime]). Tokens already issued keep their expiry.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	s.tokens.lifetime = d
}

// Revoke marks an issued access token as revoked; API endpoints then
// reject it. Unknown tokens are ignored.
func (s *Server) Revoke(accessToken string) {
	s.tokens.update(accessToken, func(t *TokenInfo) { t.Revoked = true })
}

// Expire makes an issued access token expire now, if it has not expired
// already. Unknown tokens are ignored.
func (s *Server) Expire(accessToken string) {
	now := time.Now()
	s.tokens.update(accessToken, func(t *TokenInfo) {
		if t.ExpiresAt.After(now) {
			t.ExpiresAt = now
		}
	})
}

// LookupToken returns what the server recorded about an access token it
// issued, and whether it issued it.
func (s *Server) LookupToken(accessToken string) (TokenInfo, bool) {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	info, ok := s.tokens.tokens[accessToken]
	if !ok {
		return TokenInfo{}, false
	}
	return *info, true
}

// authorizeGET admits a request to an API endpoint as the gateway's API
// proxies do: GET only (else 405), a valid Bearer token (else 401), and a
// token whose subject mayUse the API (else 403 with code 40301 and
// refusal); a nil mayUse admits every valid token. It returns the token,
// or reports false once it has written the refusal.
func (s *Server) authorizeGET(w http.ResponseWriter, r *http.Request, mayUse func(subject string) bool, refusal string) (string, bool) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeTelenorError(w, http.StatusMethodNotAllowed, 0, "Method not allowed, use GET")
		return "", false
	}
	token, info, ok := s.authorizeBearer(w, r)
	if ok && mayUse != nil && !mayUse(info.Subject) {
		writeTelenorError(w, http.StatusForbidden, gateway.CodeInvalidScope, refusal)
		return "", false
	}
	return token, ok
}

// authorizeBearer checks the request's Bearer token as the gateway does and
// returns what the server knows about it. On failure it has written
// Telenor's 401 error (40102 missing, 40105 unknown or revoked, 40106
// expired) and reports false.
func (s *Server) authorizeBearer(w http.ResponseWriter, r *http.Request) (string, TokenInfo, bool) {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	info, known := s.LookupToken(token)
	switch {
	case !ok:
		unauthorized(w, gateway.CodeHeaderMissing, "Authorization header missing")
	case !known || info.Revoked:
		unauthorized(w, gateway.CodeTokenInvalid, "Access token invalid")
	case info.Expired(time.Now()):
		unauthorized(w, gateway.CodeTokenExpired, "Access token expired")
	default:
		return token, info, true
	}
	return "", TokenInfo{}, false
}

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// value; the scheme is case-insensitive (RFC 9110 section 11.1).
func bearerToken(v string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(v), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

func unauthorized(w http.ResponseWriter, code int, description string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="telenortest"`)
	writeTelenorError(w, http.StatusUnauthorized, code, description)
}
