package telenor

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults and limits of StateCookie.
const (
	// DefaultStateCookieName is the cookie's name unless StateCookie.Name
	// says otherwise.
	DefaultStateCookieName = "telenor_state"
	// MaxStateAge is the longest a login attempt may take, and the
	// default: time enough for a user to read the consent page, short
	// enough that a leaked cookie soon expires.
	MaxStateAge = 10 * time.Minute
	// MinStateCookieKey is the shortest key NewStateCookie accepts, in bytes.
	MinStateCookieKey = 32
)

// stateCookieVersion prefixes the cookie value and the MAC input, so that a
// future format can never be mistaken for this one.
const stateCookieVersion = "v1"

// StateCookie carries the state of one login attempt from the page that
// starts it (Issue, just before redirecting to AuthCodeURL) to the
// callback (Verify, just before HandleCallback), in a cookie of the
// user's own browser: no server-side store is needed.
//
//	// GET /login
//	state, err := sc.Issue(w, r)
//	http.Redirect(w, r, cli.AuthCodeURL(state), http.StatusSeeOther)
//
//	// GET /callback
//	state, err := sc.Verify(w, r) // also clears the cookie
//	user, err := cli.HandleCallback(ctx, r, state)
//
// The cookie is HttpOnly, SameSite=Lax (so the top-level redirect back from
// Telenor carries it, while cross-site subrequests do not), Secure unless
// the request's host is a loopback address (see AllowPlainHTTP), and lives
// at most MaxStateAge. Its value is the state, its expiry and an
// HMAC-SHA256 of both under the app's key, so it cannot be forged or
// altered, and an expired one is refused even if the browser kept it.
//
// Single use: Verify clears the cookie, and remembers each state it
// accepted until that state expires, so a copied cookie value that is
// replayed later is refused by the same StateCookie. Residual window: that
// memory is per process. An app running several instances behind a load
// balancer can see a replay accepted by another instance until the cookie
// expires (MaxAge). Replaying the state alone gains an attacker nothing
// unless they also hold a fresh, unused authorization code for it, and
// codes are single-use at Telenor; if that window matters, keep MaxAge
// short or route callbacks to one instance.
//
// Set the fields before first use; a StateCookie is then safe for
// concurrent use.
type StateCookie struct {
	// Name is the cookie name. Default DefaultStateCookieName.
	Name string
	// Path limits which paths the browser sends the cookie to; it must
	// cover the callback. Default "/".
	Path string
	// MaxAge is how long a login attempt may take. Default and maximum
	// MaxStateAge.
	MaxAge time.Duration
	// AllowPlainHTTP drops the Secure attribute when the request that
	// issues or verifies the cookie came over plain http. Browsers refuse
	// to store a Secure cookie from an http page, and line authentication
	// must start from a plain-http page, so an app that calls Issue on
	// that page needs it. Requests over TLS (or with X-Forwarded-Proto:
	// https) still get a Secure cookie.
	AllowPlainHTTP bool

	inner *stateCookieKey // behind a pointer: fmt never prints its bytes
}

// stateCookieKey is StateCookie's secret part and its replay memory.
type stateCookieKey struct {
	key  []byte
	used usedStates
}

// NewStateCookie returns a StateCookie that signs with key, which must be
// at least MinStateCookieKey random bytes, kept secret and shared by every
// instance of the app (rotate it to invalidate login attempts in flight).
// The key is copied.
func NewStateCookie(key []byte) (*StateCookie, error) {
	if len(key) < MinStateCookieKey {
		return nil, configError("StateCookie key", "has %d bytes; use at least %d random bytes", len(key), MinStateCookieKey)
	}
	return &StateCookie{
		Name:   DefaultStateCookieName,
		Path:   "/",
		MaxAge: MaxStateAge,
		inner:  &stateCookieKey{key: append([]byte(nil), key...)},
	}, nil
}

// Issue makes a new state with NewState, sets it in the cookie and
// returns it, for AuthCodeURL. Each call starts a new login attempt and
// replaces the previous attempt's cookie.
func (sc *StateCookie) Issue(w http.ResponseWriter, r *http.Request) (string, error) {
	age, err := sc.check()
	if err != nil {
		return "", err
	}
	state := NewState()
	exp := strconv.FormatInt(time.Now().Add(age).Unix(), 10)
	value := strings.Join([]string{stateCookieVersion, state, exp, sc.mac(state, exp)}, ".")
	c := sc.cookie(r, value)
	c.MaxAge = int(age / time.Second)
	http.SetCookie(w, c)
	return state, nil
}

// Verify reads the cookie, clears it, and returns the state it carries,
// for HandleCallback. A missing, altered, expired or already used cookie
// gives an error matching ErrStateMismatch: start the flow again. The
// error never quotes the cookie.
func (sc *StateCookie) Verify(w http.ResponseWriter, r *http.Request) (string, error) {
	if _, err := sc.check(); err != nil {
		return "", err
	}
	gone := sc.cookie(r, "")
	gone.MaxAge = -1
	http.SetCookie(w, gone)
	c, err := r.Cookie(sc.name())
	if err != nil {
		return "", fmt.Errorf("%w: no state cookie (expired, cleared, or blocked by the browser)", ErrStateMismatch)
	}
	state, exp, err := sc.open(c.Value)
	if err != nil {
		return "", err
	}
	if !sc.inner.used.claim(state, exp, time.Now()) {
		return "", fmt.Errorf("%w: state cookie was already used", ErrStateMismatch)
	}
	return state, nil
}

// open checks a cookie value's MAC and expiry and returns its state.
func (sc *StateCookie) open(value string) (string, time.Time, error) {
	parts := strings.Split(value, ".")
	if len(parts) != 4 || parts[0] != stateCookieVersion {
		return "", time.Time{}, fmt.Errorf("%w: state cookie is malformed", ErrStateMismatch)
	}
	state, exp, mac := parts[1], parts[2], parts[3]
	if !hmac.Equal([]byte(mac), []byte(sc.mac(state, exp))) {
		return "", time.Time{}, fmt.Errorf("%w: state cookie was altered or signed with another key", ErrStateMismatch)
	}
	secs, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !time.Now().Before(time.Unix(secs, 0)) {
		return "", time.Time{}, fmt.Errorf("%w: state cookie expired; the login took too long", ErrStateMismatch)
	}
	return state, time.Unix(secs, 0), nil
}

// mac authenticates state and expiry under the key, bound to the cookie's
// name so a value cannot be moved between differently named cookies.
func (sc *StateCookie) mac(state, exp string) string {
	m := hmac.New(sha256.New, sc.inner.key)
	for _, part := range []string{"telenor-state-cookie", stateCookieVersion, sc.name(), state, exp} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// check validates the configuration and returns the effective MaxAge.
func (sc *StateCookie) check() (time.Duration, error) {
	switch {
	case sc == nil || sc.inner == nil:
		return 0, configError("StateCookie", "has no key; create it with NewStateCookie")
	case sc.MaxAge > MaxStateAge:
		return 0, configError("StateCookie.MaxAge", "is %s; at most %s", sc.MaxAge, MaxStateAge)
	case sc.MaxAge < 0:
		return 0, configError("StateCookie.MaxAge", "is negative")
	case sc.MaxAge < time.Second:
		return MaxStateAge, nil
	}
	return sc.MaxAge, nil
}

// cookie returns the cookie with value and every attribute but MaxAge.
func (sc *StateCookie) cookie(r *http.Request, value string) *http.Cookie {
	return &http.Cookie{
		Name:     sc.name(),
		Value:    value,
		Path:     orDefault(sc.Path, "/"),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   sc.secure(r),
	}
}

// secure reports whether the cookie gets the Secure attribute: always,
// except to a loopback host (local development over http) and, with
// AllowPlainHTTP, on a plain-http request.
func (sc *StateCookie) secure(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if isLoopback(strings.Trim(host, "[]")) {
		return false
	}
	https := r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
	return https || !sc.AllowPlainHTTP
}

func (sc *StateCookie) name() string { return orDefault(sc.Name, DefaultStateCookieName) }

// usedStates remembers the states Verify accepted until they expire.
type usedStates struct {
	mu        sync.Mutex
	until     map[string]time.Time
	nextSweep time.Time
}

// sweepEvery bounds how often claim forgets expired states.
const sweepEvery = time.Minute

// claim records state as used until exp and reports whether it was new.
func (u *usedStates) claim(state string, exp, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.until == nil {
		u.until = map[string]time.Time{}
	}
	if !now.Before(u.nextSweep) {
		for s, t := range u.until {
			if !now.Before(t) {
				delete(u.until, s)
			}
		}
		u.nextSweep = now.Add(sweepEvery)
	}
	if _, seen := u.until[state]; seen {
		return false
	}
	u.until[state] = exp
	return true
}
