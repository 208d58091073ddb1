package telenor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testCookieKey = bytes.Repeat([]byte("k"), MinStateCookieKey)

func newTestStateCookie(t *testing.T) *StateCookie {
	t.Helper()
	sc, err := NewStateCookie(testCookieKey)
	require.NoError(t, err)
	return sc
}

// issueCookie runs Issue for a request to url and returns the state and
// the cookie it set.
func issueCookie(t *testing.T, sc *StateCookie, url string) (string, *http.Cookie) {
	t.Helper()
	rec := httptest.NewRecorder()
	state, err := sc.Issue(rec, httptest.NewRequest(http.MethodGet, url, nil))
	require.NoError(t, err)
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)
	return state, cookies[0]
}

// verifyCookie runs Verify for a callback request carrying c (if not nil)
// and the state in c (if c is well-formed), and returns its result and the
// cookie Verify set to clear c.
func verifyCookie(t *testing.T, sc *StateCookie, c *http.Cookie) (string, *http.Cookie, error) {
	t.Helper()
	state := ""
	if c != nil {
		if parts := strings.Split(c.Value, "."); len(parts) == 4 {
			state = parts[1]
		}
	}
	got, cookies, err := verifyCallback(t, sc, c, "code=c&state="+state)
	require.Len(t, cookies, 1, "Verify clears the cookie unless the callback's state is wrong")
	return got, cookies[0], err
}

// verifyCallback runs Verify for a callback with rawQuery carrying c (if
// not nil), and returns its result and the cookies Verify set.
func verifyCallback(t *testing.T, sc *StateCookie, c *http.Cookie, rawQuery string) (string, []*http.Cookie, error) {
	t.Helper()
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "https://app.example/callback?"+rawQuery, nil)
	if c != nil {
		r.AddCookie(c)
	}
	state, err := sc.Verify(rec, r)
	return state, rec.Result().Cookies(), err
}

func TestStateCookieRoundTripAndAttributes(t *testing.T) {
	sc := newTestStateCookie(t)
	state, c := issueCookie(t, sc, "https://app.example/login")
	assert.Len(t, state, 43)
	assert.Equal(t, "__Host-"+DefaultStateCookieName, c.Name)
	assert.True(t, c.HttpOnly)
	assert.True(t, c.Secure)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.Equal(t, "/", c.Path)
	assert.Empty(t, c.Domain)
	assert.Equal(t, int(MaxStateAge/time.Second), c.MaxAge)

	got, cleared, err := verifyCookie(t, sc, c)
	require.NoError(t, err)
	assert.Equal(t, state, got)
	assert.Equal(t, c.Name, cleared.Name)
	assert.True(t, cleared.Secure)
	assert.Equal(t, -1, cleared.MaxAge, "the cookie is deleted")
	assert.Empty(t, cleared.Value)
}

// TestStateCookieSecureFromConfiguration: the request (its Host, TLS or
// X-Forwarded-Proto) never decides Secure; a TLS-terminating proxy that
// forwards Host: 127.0.0.1 over plain http used to get a cookie without
// Secure.
func TestStateCookieSecureFromConfiguration(t *testing.T) {
	requests := map[string]*http.Request{
		"loopback http":   httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/login", nil),
		"localhost":       httptest.NewRequest(http.MethodGet, "http://localhost/login", nil),
		"ipv6 loopback":   httptest.NewRequest(http.MethodGet, "http://[::1]:8080/login", nil),
		"plain http":      httptest.NewRequest(http.MethodGet, "http://app.example/login", nil),
		"tls":             httptest.NewRequest(http.MethodGet, "https://app.example/login", nil),
		"proxy to 127...": httptest.NewRequest(http.MethodGet, "http://127.0.0.1/login", nil),
	}
	requests["proxy to 127..."].Header.Set("X-Forwarded-Proto", "https")
	for _, plain := range []bool{false, true} {
		sc := newTestStateCookie(t)
		sc.AllowPlainHTTP = plain
		for name, r := range requests {
			rec := httptest.NewRecorder()
			_, err := sc.Issue(rec, r)
			require.NoError(t, err)
			c := rec.Result().Cookies()[0]
			assert.Equal(t, !plain, c.Secure, "%s, AllowPlainHTTP %v", name, plain)
			assert.Equal(t, !plain, strings.HasPrefix(c.Name, "__Host-"), "%s, AllowPlainHTTP %v: %s", name, plain, c.Name)
		}
	}
}

func TestStateCookieNameAndPathConfig(t *testing.T) {
	sc := newTestStateCookie(t)
	sc.Name = "__Host-mine"
	_, c := issueCookie(t, sc, "https://app.example/login")
	assert.Equal(t, "__Host-mine", c.Name, "no second prefix")

	sc = newTestStateCookie(t)
	sc.Path = "/auth"
	_, err := sc.Issue(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "https://app.example/auth/login", nil))
	require.ErrorIs(t, err, ErrInvalidConfig, "a __Host- cookie needs Path /")
	assert.Contains(t, err.Error(), "StateCookie.Path")
	sc.AllowPlainHTTP = true
	_, c = issueCookie(t, sc, "http://app.example/auth/login")
	assert.Equal(t, "/auth", c.Path)
	assert.Equal(t, DefaultStateCookieName, c.Name)

	sc = newTestStateCookie(t)
	sc.AllowPlainHTTP, sc.Name = true, "__Secure-x"
	_, err = sc.Issue(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "http://app.example/login", nil))
	assert.ErrorIs(t, err, ErrInvalidConfig, "browsers refuse a prefixed cookie without Secure")
}

// TestStateCookieForgedCallbackKeepsTheLogin: anyone can make the user's
// browser open /callback?state=x while a login is in flight. That must
// not clear or use up the login's cookie: the real callback still works.
func TestStateCookieForgedCallbackKeepsTheLogin(t *testing.T) {
	sc := newTestStateCookie(t)
	state, c := issueCookie(t, sc, "https://app.example/login")
	for name, query := range map[string]string{
		"other state":    "code=x&state=" + NewState(),
		"no state":       "code=x",
		"empty state":    "code=x&state=",
		"repeated state": "code=x&state=" + state + "&state=" + state,
		"denial":         "error=access_denied&state=forged",
		"bad query":      "code=x&state=" + state + "&%zz",
	} {
		_, set, err := verifyCallback(t, sc, c, query)
		assert.ErrorIs(t, err, ErrStateMismatch, name)
		assert.Empty(t, set, "%s: the cookie is left alone", name)
	}
	got, _, err := verifyCookie(t, sc, c)
	require.NoError(t, err, "the real callback still logs the user in")
	assert.Equal(t, state, got)
}

func TestStateCookieKeyRotation(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte("o"), MinStateCookieKey), bytes.Repeat([]byte("n"), MinStateCookieKey)
	before, err := NewStateCookie(oldKey)
	require.NoError(t, err)
	rotated, err := NewStateCookie(newKey, oldKey)
	require.NoError(t, err)
	after, err := NewStateCookie(newKey)
	require.NoError(t, err)

	_, inFlight := issueCookie(t, before, "https://app.example/login")
	_, _, err = verifyCookie(t, rotated, inFlight)
	assert.NoError(t, err, "a login started before the rotation verifies with the previous key")

	_, fresh := issueCookie(t, rotated, "https://app.example/login")
	_, _, err = verifyCookie(t, before, fresh)
	assert.ErrorIs(t, err, ErrStateMismatch, "new cookies are signed with the first key")
	_, _, err = verifyCookie(t, after, fresh)
	assert.NoError(t, err)

	_, _, err = verifyCookie(t, after, inFlight)
	assert.ErrorIs(t, err, ErrStateMismatch, "a key dropped from the list no longer verifies")

	_, err = NewStateCookie(newKey, oldKey, []byte("short"))
	require.ErrorIs(t, err, ErrInvalidConfig)
	assert.Contains(t, err.Error(), "previous key 2")
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		assert.NotContains(t, fmt.Sprintf(verb, *rotated), string(oldKey), verb)
	}
}

func TestStateCookieReplayIsRefused(t *testing.T) {
	sc := newTestStateCookie(t)
	_, c := issueCookie(t, sc, "https://app.example/login")
	_, _, err := verifyCookie(t, sc, c)
	require.NoError(t, err)
	_, _, err = verifyCookie(t, sc, c) // a copy of the cleared cookie, sent again
	assert.ErrorIs(t, err, ErrStateMismatch)
	assert.Contains(t, err.Error(), "already used")
}

// TestStateCookieReplayWindowAcrossInstances documents the residual
// window: another process with the same key has no memory of the first
// use, so it accepts a replay until the cookie expires, and not after.
func TestStateCookieReplayWindowAcrossInstances(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		first, second := newTestStateCookie(t), newTestStateCookie(t)
		_, c := issueCookie(t, first, "https://app.example/login")
		_, _, err := verifyCookie(t, first, c)
		require.NoError(t, err)
		_, _, err = verifyCookie(t, second, c)
		assert.NoError(t, err, "the documented residual window")
		time.Sleep(MaxStateAge)
		_, _, err = verifyCookie(t, newTestStateCookie(t), c)
		assert.ErrorIs(t, err, ErrStateMismatch)
	})
}

// mapGuard is a ReplayGuard in memory, shared by the StateCookies of one
// test as Redis is by the instances of an app.
type mapGuard struct {
	mu    sync.Mutex
	until map[string]time.Time
	err   error
}

func (g *mapGuard) Claim(ctx context.Context, state string, until time.Time) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return false, g.err
	}
	if _, seen := g.until[state]; seen {
		return false, nil
	}
	g.until[state] = until
	return true, nil
}

// With a shared ReplayGuard the residual window is closed: a state used
// at one instance is refused at every other.
func TestStateCookieReplayGuardAcrossInstances(t *testing.T) {
	guard := &mapGuard{until: map[string]time.Time{}}
	first, second := newTestStateCookie(t), newTestStateCookie(t)
	first.ReplayGuard, second.ReplayGuard = guard, guard
	state, c := issueCookie(t, first, "https://app.example/login")
	_, _, err := verifyCookie(t, first, c)
	require.NoError(t, err)
	_, _, err = verifyCookie(t, second, c)
	assert.ErrorIs(t, err, ErrStateMismatch)
	assert.Contains(t, err.Error(), "already used")
	exp, err := strconv.ParseInt(strings.Split(c.Value, ".")[2], 10, 64)
	require.NoError(t, err)
	assert.Equal(t, time.Unix(exp, 0), guard.until[state], "remembered until the cookie expires")

	guard.err = errors.New("guard unreachable")
	_, c = issueCookie(t, first, "https://app.example/login")
	_, _, err = verifyCookie(t, second, c)
	assert.ErrorContains(t, err, "replay guard did not answer", "fails closed")
}

func TestStateCookieExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sc := newTestStateCookie(t)
		sc.MaxAge = 2 * time.Minute
		_, early := issueCookie(t, sc, "https://app.example/login")
		_, late := issueCookie(t, sc, "https://app.example/login")
		assert.Equal(t, 120, late.MaxAge)
		time.Sleep(2*time.Minute - time.Second)
		_, _, err := verifyCookie(t, sc, early)
		require.NoError(t, err)
		time.Sleep(time.Second)
		_, _, err = verifyCookie(t, sc, late)
		assert.ErrorIs(t, err, ErrStateMismatch)
		assert.Contains(t, err.Error(), "expired")
	})
}

func TestStateCookieTamperedOrMissing(t *testing.T) {
	sc := newTestStateCookie(t)
	_, c := issueCookie(t, sc, "https://app.example/login")
	parts := strings.Split(c.Value, ".")
	otherKey, err := NewStateCookie(bytes.Repeat([]byte("x"), MinStateCookieKey))
	require.NoError(t, err)
	_, foreign := issueCookie(t, otherKey, "https://app.example/login")
	tampered := map[string]string{
		"state":      strings.Join([]string{parts[0], NewState(), parts[2], parts[3]}, "."),
		"expiry":     strings.Join([]string{parts[0], parts[1], "99999999999", parts[3]}, "."),
		"mac":        strings.Join([]string{parts[0], parts[1], parts[2], "AAAA"}, "."),
		"version":    strings.Join([]string{"v0", parts[1], parts[2], parts[3]}, "."),
		"truncated":  c.Value[:len(c.Value)-1],
		"extra part": c.Value + ".x",
		"empty":      "",
		"other key":  foreign.Value,
	}
	for name, value := range tampered {
		_, _, err := verifyCookie(t, sc, &http.Cookie{Name: c.Name, Value: value})
		assert.ErrorIs(t, err, ErrStateMismatch, name)
		if value != "" {
			assert.NotContains(t, err.Error(), value, name)
		}
	}
	_, _, err = verifyCallback(t, sc, nil, "code=c&state="+parts[1])
	assert.ErrorIs(t, err, ErrStateMismatch, "no cookie")

	renamed := newTestStateCookie(t)
	renamed.Name = "other_state"
	_, _, err = verifyCookie(t, renamed, &http.Cookie{Name: "__Host-other_state", Value: c.Value})
	assert.ErrorIs(t, err, ErrStateMismatch, "a value moved to another cookie name")

	_, _, err = verifyCookie(t, sc, c)
	assert.NoError(t, err, "the untouched cookie still works")
}

func TestStateCookieConfig(t *testing.T) {
	_, err := NewStateCookie([]byte("short"))
	assert.ErrorIs(t, err, ErrInvalidConfig)

	sc := newTestStateCookie(t)
	sc.MaxAge = time.Hour
	_, err = sc.Issue(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	assert.ErrorIs(t, err, ErrInvalidConfig)

	var zero StateCookie
	_, err = zero.Verify(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	assert.ErrorIs(t, err, ErrInvalidConfig)

	sc = newTestStateCookie(t)
	_, c := issueCookie(t, sc, "https://app.example/login")
	_, _, err = verifyCookie(t, sc, c) // something in the replay memory too
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		assertNoBytes(t, fmt.Sprintf(verb, sc), testCookieKey, verb)
		assertNoBytes(t, fmt.Sprintf(verb, *sc), testCookieKey, verb)
	}
}

// assertNoBytes checks that out shows secret in none of the ways fmt
// prints bytes: as text, quoted, in hex, or as decimal numbers.
func assertNoBytes(t *testing.T, out string, secret []byte, msg string) {
	t.Helper()
	for _, form := range []string{"%s", "%x", "%X", "%v"} {
		shown := fmt.Sprintf(form, secret)
		shown = strings.Trim(shown, "[]")
		if len(shown) > 24 {
			shown = shown[:24]
		}
		assert.NotContains(t, out, shown, "%s: the secret is printed as %s", msg, form)
	}
}
