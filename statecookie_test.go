package telenor

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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
// and returns its result and the cookie Verify set.
func verifyCookie(t *testing.T, sc *StateCookie, c *http.Cookie) (string, *http.Cookie, error) {
	t.Helper()
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "https://app.example/callback", nil)
	if c != nil {
		r.AddCookie(c)
	}
	state, err := sc.Verify(rec, r)
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1, "Verify always clears the cookie")
	return state, cookies[0], err
}

func TestStateCookieRoundTripAndAttributes(t *testing.T) {
	sc := newTestStateCookie(t)
	state, c := issueCookie(t, sc, "https://app.example/login")
	assert.Len(t, state, 43)
	assert.Equal(t, DefaultStateCookieName, c.Name)
	assert.True(t, c.HttpOnly)
	assert.True(t, c.Secure)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.Equal(t, "/", c.Path)
	assert.Equal(t, int(MaxStateAge/time.Second), c.MaxAge)

	got, cleared, err := verifyCookie(t, sc, c)
	require.NoError(t, err)
	assert.Equal(t, state, got)
	assert.Equal(t, DefaultStateCookieName, cleared.Name)
	assert.Equal(t, -1, cleared.MaxAge, "the cookie is deleted")
	assert.Empty(t, cleared.Value)
}

func TestStateCookieSecureAttribute(t *testing.T) {
	sc := newTestStateCookie(t)
	for url, want := range map[string]bool{
		"http://127.0.0.1:8080/login": false,
		"http://localhost/login":      false,
		"http://[::1]:8080/login":     false,
		"http://app.example/login":    true, // without AllowPlainHTTP: Secure anyway
		"https://app.example/login":   true,
	} {
		_, c := issueCookie(t, sc, url)
		assert.Equal(t, want, c.Secure, url)
	}
	sc.AllowPlainHTTP = true
	_, c := issueCookie(t, sc, "http://app.example/login")
	assert.False(t, c.Secure, "plain-http start page with AllowPlainHTTP")
	_, c = issueCookie(t, sc, "https://app.example/login")
	assert.True(t, c.Secure, "TLS requests stay Secure")
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
	_, _, err = verifyCookie(t, sc, nil)
	assert.ErrorIs(t, err, ErrStateMismatch, "no cookie")

	renamed := newTestStateCookie(t)
	renamed.Name = "other_state"
	_, _, err = verifyCookie(t, renamed, &http.Cookie{Name: "other_state", Value: c.Value})
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
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, sc), string(testCookieKey), verb)
		assert.NotContains(t, fmt.Sprintf(verb, *sc), string(testCookieKey), verb)
	}
}
