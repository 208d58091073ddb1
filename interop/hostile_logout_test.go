package interop

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// TestHostileLogout: contract item 4. Logout succeeds only on the logout
// endpoint's own 200 "OK!" (trimmed, any case, "!" optional); anything
// else is an *APIError. The local token is dropped either way: the next
// call answers ErrReauthenticate without a request.
func TestHostileLogout(t *testing.T) {
	h := newHostileNet(t)
	cases := []struct {
		name   string
		status int
		body   string
		ok     bool
	}{
		{"200 OK!", 200, "OK!", true},
		{"200 ok, padded", 200, " ok\r\n", true},
		{"200 Ok!", 200, "Ok!", true},
		{"200 empty", 200, "", false},
		{"200 JSON", 200, `{"status":"done"}`, false},
		{"200 HTML", 200, "<html><body>OK!</body></html>", false},
		{"200 OK! and more", 200, "OK! but not really", false},
		{"204", 204, "", false},
		{"401 40105", 401, `{"httpStatus":401,"errorCode":40105,"description":"Invalid access token"}`, false},
		{"401 empty", 401, "", false},
		{"500", 500, `{"httpStatus":500,"errorCode":50001}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.reset()
			h.answer(telenortest.LogoutPath, func(w http.ResponseWriter, r *http.Request) {
				writeBody(w, tc.status, "text/plain", tc.body)
			})
			var logs logBuffer
			user := h.user(h.client(t, &logs))
			err := user.Logout(t.Context())
			var ae *telenor.APIError
			switch {
			case tc.ok && err != nil:
				t.Errorf("contract item 4: Logout = %v, want nil for the gateway's confirmation", err)
			case !tc.ok && !errors.As(err, &ae):
				t.Errorf("contract item 4: Logout = %v, want an *APIError: the gateway did not confirm the token was revoked", err)
			}
			if _, err := user.UserInfo(t.Context()); !errors.Is(err, telenor.ErrReauthenticate) {
				t.Errorf("contract item 4: after Logout, UserInfo = %v, want ErrReauthenticate (the local token is dropped either way)", err)
			}
			if n := h.hits.get(telenortest.UserInfoPath); n != 0 {
				t.Errorf("UserInfo requests after Logout = %d, want 0", n)
			}
			checkNoSecrets(t, hostileSecrets(), err, logs.String())
		})
	}
	t.Run("LogoutURL on another host gets the token", func(t *testing.T) {
		h.reset()
		var logs logBuffer
		cli := h.client(t, &logs, func(c *telenor.Config) {
			c.Endpoint.LogoutURL = "https://example.com:8443/oauth/v2/logout" // the recorder answers "OK!"
		})
		if err := h.user(cli).Logout(t.Context()); err != nil {
			t.Errorf("Logout = %v, want nil", err)
		}
		reqs := h.rec.requests()
		if len(reqs) != 1 || !strings.Contains(reqs[0], "Authorization: Bearer "+hostileToken) {
			t.Errorf("contract item 4: the configured LogoutURL must receive the Bearer token even on another host; it saw %q", reqs)
		}
	})
}
