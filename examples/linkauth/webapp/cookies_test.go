package webapp_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/examples/linkauth/webapp"
	"github.com/telenor-go/telenor/telenortest"
)

// TestSessionCookieSecureFromConfig: the app is reached over plain http,
// as behind a TLS-terminating proxy, so r.TLS is nil; the session cookie
// is Secure all the same unless the configuration says PlainHTTP.
func TestSessionCookieSecureFromConfig(t *testing.T) {
	for _, plain := range []bool{false, true} {
		e := newEnvConfig(t, webapp.Config{PlainHTTP: plain}, telenortest.ConsentAutoApprove)
		login := sessionCookies(e.setCookies(t, http.MethodGet, e.callbackURL(t).String()))
		require.Len(t, login, 1, "the callback sets the session cookie")
		logout := sessionCookies(e.setCookies(t, http.MethodPost, "/logout"))
		require.Len(t, logout, 1, "logout clears it")
		for _, c := range []*http.Cookie{login[0], logout[0]} {
			assert.Equal(t, !plain, c.Secure, "PlainHTTP %v: %s", plain, c)
			assert.Equal(t, !plain, strings.HasPrefix(c.Name, "__Host-"), "PlainHTTP %v: %s", plain, c)
			assert.Equal(t, "/", c.Path)
			assert.True(t, c.HttpOnly)
		}
		assert.Equal(t, login[0].Name, logout[0].Name)
		assert.Equal(t, -1, logout[0].MaxAge)
	}
}

// sessionCookies returns the session cookies among cs.
func sessionCookies(cs []*http.Cookie) []*http.Cookie {
	var out []*http.Cookie
	for _, c := range cs {
		if strings.HasSuffix(c.Name, "linkauth_session") {
			out = append(out, c)
		}
	}
	return out
}
