package webapp

import (
	"crypto/rand"
	"net/http"
	"sync"
	"time"

	"github.com/telenor-go/telenor"
)

// sessionCookie names the cookie holding the session id; a Secure one
// gets the "__Host-" prefix, so neither a subdomain nor a plain-http page
// can set it.
const sessionCookie = "linkauth_session"

// sessionStore keeps logged-in users' Sessions in memory under random ids.
type sessionStore struct {
	lifetime time.Duration
	secure   bool // the session cookie is Secure (from Config, never the request)

	mu      sync.Mutex
	entries map[string]sessionEntry
}

type sessionEntry struct {
	user    *telenor.UserSession
	expires time.Time
}

func newSessionStore(lifetime time.Duration, secure bool) *sessionStore {
	return &sessionStore{lifetime: lifetime, secure: secure, entries: map[string]sessionEntry{}}
}

// add stores user under a new random id, which it returns, and forgets
// expired entries.
func (s *sessionStore) add(user *telenor.UserSession) string {
	id := rand.Text() // 128 bits from crypto/rand
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, e := range s.entries {
		if !now.Before(e.expires) {
			delete(s.entries, k)
		}
	}
	s.entries[id] = sessionEntry{user: user, expires: now.Add(s.lifetime)}
	return id
}

// get returns the live Session stored under id.
func (s *sessionStore) get(id string) (*telenor.UserSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok || !time.Now().Before(e.expires) {
		delete(s.entries, id)
		return nil, false
	}
	return e.user, true
}

// remove forgets id.
func (s *sessionStore) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, id)
}

// count counts the entries, expired ones included.
func (s *sessionStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// current returns the request's session id and Session, if it has a live one.
func (s *sessionStore) current(r *http.Request) (string, *telenor.UserSession, bool) {
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" {
		return "", nil, false
	}
	user, ok := s.get(c.Value)
	return c.Value, user, ok
}

// setCookie gives the browser its session id.
func (s *sessionStore) setCookie(w http.ResponseWriter, id string) {
	c := s.cookie(id)
	c.MaxAge = int(s.lifetime / time.Second)
	http.SetCookie(w, c)
}

// clearCookie removes the session cookie from the browser.
func (s *sessionStore) clearCookie(w http.ResponseWriter) {
	c := s.cookie("")
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// cookie returns the session cookie with value and every attribute but
// MaxAge.
func (s *sessionStore) cookie(value string) *http.Cookie {
	return &http.Cookie{
		Name: s.cookieName(), Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure,
	}
}

func (s *sessionStore) cookieName() string {
	if s.secure {
		return "__Host-" + sessionCookie
	}
	return sessionCookie
}
