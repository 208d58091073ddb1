package telenor

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/telenor-go/telenor/internal/cookie"
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
// The cookie is HttpOnly, SameSite=Lax, signed (HMAC-SHA256) with its
// expiry, and single use: Verify clears it and remembers the states it
// accepted, per process unless ReplayGuard is set. By default it is
// Secure with the "__Host-" prefix, decided by the configuration, never
// by the request (a reverse proxy hides r.TLS); browsers accept that from
// http://localhost too. See docs/lineauth.md.
//
// Set the fields before first use; a StateCookie is then safe for
// concurrent use.
type StateCookie struct {
	// Name is the cookie name. Default DefaultStateCookieName. Unless
	// AllowPlainHTTP is set, it is sent with the "__Host-" prefix (added
	// if Name lacks it).
	Name string
	// Path must cover the callback. Default "/", the only value a
	// "__Host-" cookie may have: any other needs AllowPlainHTTP.
	Path string
	// MaxAge is how long a login attempt may take. Default and maximum
	// MaxStateAge.
	MaxAge time.Duration
	// AllowPlainHTTP makes the cookie not Secure and drops the "__Host-"
	// prefix, for a start page served over plain http on a host other
	// than loopback, as Telenor's network authentication needs (see
	// docs/lineauth.md). The cookie stays signed, short-lived and
	// single-use.
	AllowPlainHTTP bool
	// ReplayGuard, when set, remembers used states for every instance of
	// the app. Verify refuses a state it has seen, and fails (the user
	// starts again) when it cannot answer. Nil: this process only, so a
	// copied cookie may be accepted once more at another instance until
	// it expires.
	ReplayGuard ReplayGuard

	inner *cookie.Keys
}

// ReplayGuard remembers the states StateCookie.Verify accepted, for all
// the instances of an app.
type ReplayGuard interface {
	// Claim records state as used until it expires at until, and reports
	// whether it was unused: true for exactly one claim of a state, across
	// every instance, however many race.
	Claim(ctx context.Context, state string, until time.Time) (bool, error)
}

// NewStateCookie returns a StateCookie that signs with key, which must be
// at least MinStateCookieKey random bytes, kept secret and shared by every
// instance of the app. Cookies signed with any of the previous keys are
// accepted too, which rotates the key without breaking logins in flight:
// deploy NewStateCookie(newKey, oldKey), and drop oldKey after MaxAge.
// The keys are copied.
func NewStateCookie(key []byte, previous ...[]byte) (*StateCookie, error) {
	keys := append([][]byte{key}, previous...)
	for i, k := range keys {
		if len(k) < MinStateCookieKey {
			field := "StateCookie key"
			if i > 0 {
				field = fmt.Sprintf("StateCookie previous key %d", i)
			}
			return nil, configError(field, "has %d bytes; use at least %d random bytes", len(k), MinStateCookieKey)
		}
	}
	return &StateCookie{Name: DefaultStateCookieName, Path: "/", MaxAge: MaxStateAge, inner: cookie.NewKeys(keys)}, nil
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
	sc.inner.Issue(w, sc.attrs(), state, time.Now(), age)
	return state, nil
}

// Verify checks the cookie against the callback request r and returns the
// state it carries, for HandleCallback. When r's query has exactly the
// cookie's state, the cookie is cleared and the state used up. A missing,
// altered, expired or already used cookie, or a callback with another
// state (or none), gives an error matching ErrStateMismatch: start the
// flow again. A callback with another state leaves the cookie alone, so a
// forged callback cannot break the user's login in flight. The error
// never quotes the cookie.
func (sc *StateCookie) Verify(w http.ResponseWriter, r *http.Request) (string, error) {
	if _, err := sc.check(); err != nil {
		return "", err
	}
	state, exp, err := sc.inner.Verify(w, r, sc.attrs(), time.Now())
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrStateMismatch, err)
	}
	if sc.ReplayGuard != nil {
		fresh, err := sc.ReplayGuard.Claim(r.Context(), state, exp)
		if err != nil {
			return "", fmt.Errorf("telenor: the state replay guard did not answer; start the login again: %w", err)
		}
		if !fresh {
			return "", fmt.Errorf("%w: %w (at another instance)", ErrStateMismatch, cookie.ErrUsed)
		}
	}
	return state, nil
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
	case !sc.AllowPlainHTTP && cmp.Or(sc.Path, "/") != "/":
		return 0, configError("StateCookie.Path", "must be / for a Secure __Host- cookie; set AllowPlainHTTP for another path")
	case sc.AllowPlainHTTP && (strings.HasPrefix(sc.Name, cookie.HostPrefix) || strings.HasPrefix(sc.Name, "__Secure-")):
		return 0, configError("StateCookie.Name", "has a __Host- or __Secure- prefix, which browsers refuse without Secure; drop it or unset AllowPlainHTTP")
	case sc.MaxAge < time.Second:
		return MaxStateAge, nil
	}
	return sc.MaxAge, nil
}

func (sc *StateCookie) attrs() cookie.Attrs {
	return cookie.Attrs{Name: cmp.Or(sc.Name, DefaultStateCookieName), Path: cmp.Or(sc.Path, "/"), Plain: sc.AllowPlainHTTP}
}
