package webapp

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"golang.org/x/oauth2"
)

// sessionCookie names the cookie holding the session id; a Secure one
// gets the "__Host-" prefix, so neither a subdomain nor a plain-http page
// can set it.
const sessionCookie = "linkauth_session"

// tokenKey is the session value holding the user's token (JSON).
const tokenKey = "token"

// sessions keeps each logged-in user's *oauth2.Token in an scs session,
// in Config.SessionStore (Redis, so that any instance serves any user) or
// in this process's memory. The app restores the user's telenor session
// from it on every request, which is cheap. Everything scs writes to the
// store is sealed with AES-GCM under a key derived from Config.StateKey,
// and scs stores a hash of the session id, not the id: a look into the
// store shows neither tokens nor cookies.
type sessions struct {
	*scs.SessionManager
}

func newSessions(cfg Config, lifetime time.Duration) (sessions, error) {
	codec, err := newSealedCodec(cfg.StateKey)
	if err != nil {
		return sessions{}, err
	}
	sm := scs.New() // its default store: memory, swept by a goroutine every minute
	if cfg.SessionStore != nil {
		sm.Store = cfg.SessionStore
	}
	sm.Lifetime = lifetime
	sm.Codec = codec
	sm.HashTokenInStore = true
	sm.Cookie.Name = sessionCookie
	if !cfg.PlainHTTP {
		sm.Cookie.Name = "__Host-" + sessionCookie
	}
	sm.Cookie.Path = "/"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = !cfg.PlainHTTP // from configuration, never from the request
	return sessions{sm}, nil
}

// start begins a logged-in session with tok under a new session id (a
// login never keeps an id the browser had before: no session fixation).
func (s sessions) start(ctx context.Context, tok *oauth2.Token) error {
	b, err := json.Marshal(tok)
	if err != nil {
		return err
	}
	if err := s.RenewToken(ctx); err != nil {
		return err
	}
	s.Put(ctx, tokenKey, b)
	return nil
}

// token returns the logged-in user's token, if the request has a session.
func (s sessions) token(ctx context.Context) (*oauth2.Token, bool) {
	b := s.GetBytes(ctx, tokenKey)
	var tok oauth2.Token
	if len(b) == 0 || json.Unmarshal(b, &tok) != nil || tok.AccessToken == "" {
		return nil, false
	}
	return &tok, true
}

// sealedCodec is scs' gob encoding sealed with AES-256-GCM.
type sealedCodec struct {
	aead cipher.AEAD
}

func newSealedCodec(stateKey []byte) (sealedCodec, error) {
	key, err := hkdf.Key(sha256.New, stateKey, nil, "linkauth session store", 32)
	if err != nil {
		return sealedCodec{}, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return sealedCodec{}, err
	}
	aead, err := cipher.NewGCM(block)
	return sealedCodec{aead}, err
}

func (c sealedCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	plain, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, c.aead.NonceSize())
	rand.Read(nonce) // never fails (crypto/rand)
	return c.aead.Seal(nonce, nonce, plain, nil), nil
}

func (c sealedCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	n := c.aead.NonceSize()
	if len(b) < n {
		return time.Time{}, nil, errors.New("webapp: stored session is too short")
	}
	plain, err := c.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return time.Time{}, nil, errors.New("webapp: stored session does not open (was StateKey changed?)")
	}
	return scs.GobCodec{}.Decode(plain)
}
