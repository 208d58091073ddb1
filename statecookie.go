package telenor

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"net/http"
	"net/url"
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

// hostPrefix is the cookie-name prefix that makes browsers insist on
// Secure, Path=/ and no Domain, so that neither a subdomain nor a
// plain-http page of the same host can set or overwrite the cookie.
const hostPrefix = "__Host-"

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
// Telenor carries it, while cross-site subrequests do not) and lives at
// most MaxStateAge. By default it is Secure and its name has the
// "__Host-" prefix (Path=/, no Domain), whatever the request looks like:
// the configuration decides, never the Host header or r.TLS, which a
// reverse proxy hides. Browsers accept Secure cookies from
// http://localhost and http://127.0.0.1 too (Chromium, Firefox, and Go's
// net/http/cookiejar do), so the default also works for local development;
// set AllowPlainHTTP for a start page served over plain http anywhere else.
//
// Its value is the state, its expiry and an HMAC-SHA256 of both under the
// app's key, so it cannot be forged or altered, and an expired one is
// refused even if the browser kept it.
//
// Single use: Verify clears the cookie once the callback's state matches
// it, and remembers each state it accepted until that state expires, so a
// copied cookie value that is replayed later is refused by the same
// StateCookie. A callback with another state (forged: anyone can make a
// browser open /callback?state=x) leaves the cookie alone, so it cannot
// break the user's login in flight. The memory of used states is per
// process: an app running several instances behind a load balancer sets
// ReplayGuard (redisstore.Store is one) so that every instance refuses a
// state any of them accepted. Without it, a replay can be accepted by
// another instance until the cookie expires (MaxAge). Replaying the state
// alone gains an attacker nothing unless they also hold a fresh, unused
// authorization code for it, and codes are single-use at Telenor.
//
// Set the fields before first use; a StateCookie is then safe for
// concurrent use.
type StateCookie struct {
	// Name is the cookie name. Default DefaultStateCookieName. Unless
	// AllowPlainHTTP is set, it is sent with the "__Host-" prefix (added
	// if Name lacks it).
	Name string
	// Path limits which paths the browser sends the cookie to; it must
	// cover the callback. Default "/", the only value a "__Host-" cookie
	// may have: any other needs AllowPlainHTTP.
	Path string
	// MaxAge is how long a login attempt may take. Default and maximum
	// MaxStateAge.
	MaxAge time.Duration
	// AllowPlainHTTP makes the cookie not Secure and drops the "__Host-"
	// prefix, so that a browser stores it from a page served over plain
	// http on a host other than loopback. Telenor's network
	// authentication must start from such a page (see docs/lineauth.md), so an
	// app that calls Issue on it needs this. The cookie is then sent over
	// plain http too; it stays signed, short-lived and single-use.
	AllowPlainHTTP bool
	// ReplayGuard, when set, remembers used states for every instance of
	// the app. Verify refuses a state it has seen, and fails (the user
	// starts again) when it cannot answer. Nil: this process only.
	ReplayGuard ReplayGuard

	inner *stateCookieKey
}

// ReplayGuard remembers the states StateCookie.Verify accepted, for all
// the instances of an app.
type ReplayGuard interface {
	// Claim records state as used until it expires at until, and reports
	// whether it was unused: true for exactly one claim of a state, across
	// every instance, however many race.
	Claim(ctx context.Context, state string, until time.Time) (bool, error)
}

// stateCookieKey is StateCookie's secret part and its replay memory.
// Nothing in it is printable: fmt shows only addresses for funcs and for
// pointers below the top level, whatever the verb (a bad verb such as %s
// makes fmt dereference the inner pointer itself).
type stateCookieKey struct {
	macs []func() hash.Hash // one per key, HMAC-SHA256; macs[0] signs, any verifies
	used *usedStates
}

// NewStateCookie returns a StateCookie that signs with key, which must be
// at least MinStateCookieKey random bytes, kept secret and shared by every
// instance of the app. Cookies signed with any of the previous keys are
// accepted too, which rotates the key without breaking logins in flight:
// deploy NewStateCookie(newKey, oldKey), and drop oldKey after MaxAge.
// The keys are copied.
func NewStateCookie(key []byte, previous ...[]byte) (*StateCookie, error) {
	macs := make([]func() hash.Hash, 0, 1+len(previous))
	for i, k := range append([][]byte{key}, previous...) {
		if len(k) < MinStateCookieKey {
			field := "StateCookie key"
			if i > 0 {
				field = fmt.Sprintf("StateCookie previous key %d", i)
			}
			return nil, configError(field, "has %d bytes; use at least %d random bytes", len(k), MinStateCookieKey)
		}
		k := bytes.Clone(k)
		macs = append(macs, func() hash.Hash { return hmac.New(sha256.New, k) })
	}
	return &StateCookie{
		Name:   DefaultStateCookieName,
		Path:   "/",
		MaxAge: MaxStateAge,
		inner:  &stateCookieKey{macs: macs, used: &usedStates{}},
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
	value := strings.Join([]string{stateCookieVersion, state, exp, sc.mac(sc.inner.macs[0], state, exp)}, ".")
	c := sc.cookie(value)
	c.MaxAge = int(age / time.Second)
	http.SetCookie(w, c)
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
	c, err := r.Cookie(sc.name())
	if err != nil {
		return "", fmt.Errorf("%w: no state cookie (expired, cleared, or blocked by the browser)", ErrStateMismatch)
	}
	state, exp, err := sc.open(c.Value)
	if err != nil {
		sc.clear(w) // useless to the browser: a login with it cannot succeed
		return "", err
	}
	if !callbackHasState(r, state) {
		return "", fmt.Errorf("%w: the callback's state is not this browser's login attempt", ErrStateMismatch)
	}
	sc.clear(w)
	if !sc.inner.used.claim(state, exp, time.Now()) {
		return "", fmt.Errorf("%w: state cookie was already used", ErrStateMismatch)
	}
	if sc.ReplayGuard != nil {
		fresh, err := sc.ReplayGuard.Claim(r.Context(), state, exp)
		if err != nil {
			return "", fmt.Errorf("telenor: the state replay guard did not answer; start the login again: %w", err)
		}
		if !fresh {
			return "", fmt.Errorf("%w: state cookie was already used (at another instance)", ErrStateMismatch)
		}
	}
	return state, nil
}

// callbackHasState reports whether r's query carries exactly state, read
// as strictly as HandleCallback reads it.
func callbackHasState(r *http.Request, state string) bool {
	if r.URL == nil {
		return false
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	return err == nil && len(q["state"]) == 1 && sameState(q["state"][0], state)
}

// open checks a cookie value's MAC and expiry and returns its state.
func (sc *StateCookie) open(value string) (string, time.Time, error) {
	parts := strings.Split(value, ".")
	if len(parts) != 4 || parts[0] != stateCookieVersion {
		return "", time.Time{}, fmt.Errorf("%w: state cookie is malformed", ErrStateMismatch)
	}
	state, exp, mac := parts[1], parts[2], parts[3]
	if !sc.signed(state, exp, mac) {
		return "", time.Time{}, fmt.Errorf("%w: state cookie was altered or signed with another key", ErrStateMismatch)
	}
	secs, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !time.Now().Before(time.Unix(secs, 0)) {
		return "", time.Time{}, fmt.Errorf("%w: state cookie expired; the login took too long", ErrStateMismatch)
	}
	return state, time.Unix(secs, 0), nil
}

// signed reports whether mac authenticates state and exp under any key.
func (sc *StateCookie) signed(state, exp, mac string) bool {
	ok := false
	for _, newMAC := range sc.inner.macs {
		ok = hmac.Equal([]byte(mac), []byte(sc.mac(newMAC, state, exp))) || ok
	}
	return ok
}

// mac authenticates state and expiry with newMAC (one key's HMAC), bound
// to the cookie's name so a value cannot be moved between differently
// named cookies.
func (sc *StateCookie) mac(newMAC func() hash.Hash, state, exp string) string {
	m := newMAC()
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
	case !sc.AllowPlainHTTP && cmp.Or(sc.Path, "/") != "/":
		return 0, configError("StateCookie.Path", "must be / for a Secure __Host- cookie; set AllowPlainHTTP for another path")
	case sc.AllowPlainHTTP && (strings.HasPrefix(sc.Name, hostPrefix) || strings.HasPrefix(sc.Name, "__Secure-")):
		return 0, configError("StateCookie.Name", "has a __Host- or __Secure- prefix, which browsers refuse without Secure; drop it or unset AllowPlainHTTP")
	case sc.MaxAge < time.Second:
		return MaxStateAge, nil
	}
	return sc.MaxAge, nil
}

// cookie returns the cookie with value and every attribute but MaxAge.
func (sc *StateCookie) cookie(value string) *http.Cookie {
	return &http.Cookie{
		Name:     sc.name(),
		Value:    value,
		Path:     cmp.Or(sc.Path, "/"),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   !sc.AllowPlainHTTP,
	}
}

// clear deletes the cookie from the browser.
func (sc *StateCookie) clear(w http.ResponseWriter) {
	gone := sc.cookie("")
	gone.MaxAge = -1
	http.SetCookie(w, gone)
}

// name is the cookie's name as sent: with the __Host- prefix when Secure.
func (sc *StateCookie) name() string {
	name := cmp.Or(sc.Name, DefaultStateCookieName)
	if !sc.AllowPlainHTTP && !strings.HasPrefix(name, hostPrefix) {
		name = hostPrefix + name
	}
	return name
}

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
