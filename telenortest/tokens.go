package telenortest

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

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

// issue creates and records a new random token: 40 hex characters.
func (ts *tokenStore) issue(subject, clientID string) (string, TokenInfo) {
	var b [20]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	token := hex.EncodeToString(b[:])
	now := time.Now()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	info := TokenInfo{
		Subject:   subject,
		ClientID:  clientID,
		IssuedAt:  now,
		ExpiresAt: now.Add(ts.lifetime),
	}
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
