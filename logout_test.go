package telenor

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logoutServer is a logout endpoint on its own loopback port (another
// host than BaseURL, as far as the Bearer rule is concerned) answering
// status and body, and recording the Authorization header it received.
func logoutServer(t *testing.T, status int, body string) (*wireServer, *atomic.Value) {
	var auth atomic.Value
	auth.Store("")
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
	return ws, &auth
}

// logoutSession is a user session whose API is api and whose
// Endpoint.LogoutURL is on logout's port.
func logoutSession(t *testing.T, api, logout *wireServer) *UserSession {
	return api.user(t, func(c *Config) { c.Endpoint.LogoutURL = logout.URL + "/oauth/v2/logout" })
}

func TestLogoutSendsTheBearerToTheConfiguredLogoutURL(t *testing.T) {
	for _, body := range []string{"OK!", "ok", " OK!\r\n", "Ok!"} {
		api := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {})
		lo, auth := logoutServer(t, http.StatusOK, body)
		s := logoutSession(t, api, lo)
		require.NoError(t, s.Logout(t.Context()), "body %q", body)
		assert.Equal(t, "Bearer user-token", auth.Load(), "the token reached the logout host")
		assert.Equal(t, int64(1), lo.requests.Load())
		_, err := s.UserInfo(t.Context())
		assert.ErrorIs(t, err, ErrReauthenticate, "the token was dropped")
		assert.Zero(t, api.requests.Load())
	}
}

func TestLogoutNotConfirmedIsAnError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"401 for the token", http.StatusUnauthorized, `{"errorCode":40105,"description":"Invalid access token"}`},
		{"401 without body", http.StatusUnauthorized, ``},
		{"200 other text", http.StatusOK, `Error`},
		{"200 empty", http.StatusOK, ``},
		{"200 JSON", http.StatusOK, `{"status":"ok"}`},
		{"200 gateway error", http.StatusOK, `{"httpStatus":401,"errorCode":40105,"description":"Invalid access token"}`},
		{"204", http.StatusNoContent, ``},
		{"403", http.StatusForbidden, `{"errorCode":40301}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {})
			lo, auth := logoutServer(t, tc.status, tc.body)
			s := logoutSession(t, api, lo)
			err := s.Logout(t.Context())
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Contains(t, err.Error(), "logout not confirmed")
			assert.Equal(t, "Bearer user-token", auth.Load())
			assert.Equal(t, int64(1), lo.requests.Load(), "not retried, not replayed")
			_, err = s.UserInfo(t.Context())
			assert.ErrorIs(t, err, ErrReauthenticate, "the token is dropped either way")
			assert.Zero(t, api.requests.Load())
		})
	}
}

func TestLogoutWithoutTokenSendsNothing(t *testing.T) {
	api := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {})
	lo, _ := logoutServer(t, http.StatusOK, "OK!")
	s := logoutSession(t, api, lo)
	require.NoError(t, s.Logout(t.Context()))
	assert.ErrorIs(t, s.Logout(t.Context()), ErrReauthenticate, "nothing left to log out")
	assert.Equal(t, int64(1), lo.requests.Load())
}

// The Bearer goes to the logout URL only: not to other paths of its host.
func TestLogoutHostGetsNoBearerElsewhere(t *testing.T) {
	api := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {})
	lo, auth := logoutServer(t, http.StatusOK, "OK!")
	s := logoutSession(t, api, lo)
	resp, err := s.HTTPClient().Get(lo.URL + "/other")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, auth.Load())
}
