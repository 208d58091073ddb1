// Package cookie is the mechanics of telenor.StateCookie: a state sealed
// with its expiry under an HMAC, the cookie's attributes, and the memory of
// states already used.
package cookie

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"hash"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// version prefixes the value and the MAC input, so that a future format
// can never be mistaken for this one.
const version = "v1"

// HostPrefix makes browsers insist on Secure, Path=/ and no Domain, so
// that neither a subdomain nor a plain-http page of the same host can set
// or overwrite the cookie.
const HostPrefix = "__Host-"

// Why Verify refused a cookie. Each means the login must start again.
var (
	ErrNoCookie   = errors.New("no state cookie (expired, cleared, or blocked by the browser)")
	ErrMalformed  = errors.New("state cookie is malformed")
	ErrAltered    = errors.New("state cookie was altered or signed with another key")
	ErrExpired    = errors.New("state cookie expired; the login took too long")
	ErrOtherState = errors.New("the callback's state is not this browser's login attempt")
	ErrUsed       = errors.New("state cookie was already used")
)

// Attrs are the cookie's settings, defaults applied.
type Attrs struct {
	Name, Path string
	Plain      bool // not Secure, no __Host- prefix
}

// FullName is the name as sent: with the __Host- prefix when Secure.
func (a Attrs) FullName() string {
	if !a.Plain && !strings.HasPrefix(a.Name, HostPrefix) {
		return HostPrefix + a.Name
	}
	return a.Name
}

// set sets the cookie with value and maxAge (negative deletes it).
func (a Attrs) set(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: a.FullName(), Value: value, Path: a.Path, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !a.Plain,
	})
}

// Keys signs cookies with the first key and verifies them with any, and
// remembers the states it accepted. Nothing in it is printable: fmt shows
// only addresses for funcs and for pointers below the top level, whatever
// the verb (a bad verb such as %s makes fmt dereference a Keys pointer
// itself).
type Keys struct {
	macs []func() hash.Hash // HMAC-SHA256, one per key
	used *usedStates
}

// NewKeys returns Keys for copies of keys, the signing one first.
func NewKeys(keys [][]byte) *Keys {
	k := &Keys{used: &usedStates{until: map[string]time.Time{}}}
	for _, key := range keys {
		key := bytes.Clone(key)
		k.macs = append(k.macs, func() hash.Hash { return hmac.New(sha256.New, key) })
	}
	return k
}

// Issue sets a cookie carrying state until now+age.
func (k *Keys) Issue(w http.ResponseWriter, a Attrs, state string, now time.Time, age time.Duration) {
	exp := strconv.FormatInt(now.Add(age).Unix(), 10)
	value := strings.Join([]string{version, state, exp, mac(k.macs[0], a.FullName(), state, exp)}, ".")
	a.set(w, value, int(age/time.Second))
}

// Verify checks r's cookie against r's query and returns the state and its
// expiry. The cookie is cleared unless the query has another state: a
// forged callback must not break the login in flight. The state is then
// used up in this process. Errors never quote the cookie.
func (k *Keys) Verify(w http.ResponseWriter, r *http.Request, a Attrs, now time.Time) (string, time.Time, error) {
	c, err := r.Cookie(a.FullName())
	if err != nil {
		return "", time.Time{}, ErrNoCookie
	}
	state, exp, err := k.open(a.FullName(), c.Value, now)
	if err != nil {
		a.set(w, "", -1) // useless to the browser: a login with it cannot succeed
		return "", time.Time{}, err
	}
	if _, ok := CallbackQuery(r.URL, state); !ok {
		return "", time.Time{}, ErrOtherState
	}
	a.set(w, "", -1)
	if !k.used.claim(state, exp, now) {
		return "", time.Time{}, ErrUsed
	}
	return state, exp, nil
}

// open checks a value's MAC and expiry and returns its state.
func (k *Keys) open(name, value string, now time.Time) (string, time.Time, error) {
	parts := strings.Split(value, ".")
	if len(parts) != 4 || parts[0] != version {
		return "", time.Time{}, ErrMalformed
	}
	state, exp, sig := parts[1], parts[2], parts[3]
	ok := false
	for _, newMAC := range k.macs { // every key, whichever matches: no timing hint
		ok = hmac.Equal([]byte(sig), []byte(mac(newMAC, name, state, exp))) || ok
	}
	if !ok {
		return "", time.Time{}, ErrAltered
	}
	secs, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !now.Before(time.Unix(secs, 0)) {
		return "", time.Time{}, ErrExpired
	}
	return state, time.Unix(secs, 0), nil
}

// mac authenticates state and expiry, bound to the cookie's name so a
// value cannot be moved between differently named cookies.
func mac(newMAC func() hash.Hash, name, state, exp string) string {
	m := newMAC()
	for _, part := range []string{"telenor-state-cookie", version, name, state, exp} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CallbackQuery parses the query of a callback to u and returns it when it
// carries exactly state. A malformed query may still hold usable parts;
// only a clean parse is trusted.
func CallbackQuery(u *url.URL, state string) (url.Values, bool) {
	if u == nil {
		return nil, false
	}
	q, err := url.ParseQuery(u.RawQuery)
	return q, err == nil && len(q["state"]) == 1 && SameState(q["state"][0], state)
}

// SameState compares two states in constant time. Hashing first makes the
// time independent of the lengths too. An empty expected state never
// matches: a caller that lost its state must fail closed.
func SameState(got, want string) bool {
	if want == "" || got == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
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
