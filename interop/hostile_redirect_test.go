package interop

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// redirectTarget is where a hostile redirect points.
type redirectTarget struct {
	name     string
	location string
	host     string // what the error must name (contract item 2); "" for a relative Location
}

var redirectTargets = []redirectTarget{
	{"other port", "https://example.com:8443/landing?leak=" + hostileQuery, "example.com:8443"},
	{"plain http", "http://example.com/landing?leak=" + hostileQuery, "example.com"},
	{"subdomain", "https://evil.example.com/landing?leak=" + hostileQuery, "evil.example.com"},
	{"userinfo trick", "https://example.com@evil.example.com/landing?leak=" + hostileQuery, "evil.example.com"},
	{"same host, other path", "/elsewhere?leak=" + hostileQuery, ""},
}

var redirectStatuses = []int{
	http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
	http.StatusTemporaryRedirect, http.StatusPermanentRedirect,
}

// redirectEndpoint is an SDK call and the gateway path it starts at.
type redirectEndpoint struct {
	name  string
	path  string
	token bool // carries the client secret, a password or a code
	call  func(t *testing.T, h *hostileNet, cli *telenor.Client) error
}

var redirectEndpoints = []redirectEndpoint{
	{"password token", telenortest.PasswordTokenPath, true, func(t *testing.T, _ *hostileNet, cli *telenor.Client) error {
		_, err := cli.PasswordGrant(hostileUser, hostilePassword).Token(t.Context())
		return err
	}},
	{"code token", telenortest.TokenPath, true, func(t *testing.T, _ *hostileNet, cli *telenor.Client) error {
		_, err := cli.Exchange(t.Context(), hostileCode)
		return err
	}},
	{"API GET", telenortest.UserInfoPath, false, func(t *testing.T, h *hostileNet, cli *telenor.Client) error {
		_, err := h.user(cli).UserInfo(t.Context())
		return err
	}},
	{"logout", telenortest.LogoutPath, false, func(t *testing.T, h *hostileNet, cli *telenor.Client) error {
		return h.user(cli).Logout(t.Context())
	}},
}

// TestHostileRedirects: every redirect status to every kind of target
// from every endpoint.
//
// Token requests (contract item 2) follow no redirect: an *AuthError with
// the 3xx status that names the target host but never its query, and
// zero requests reach the target. API GETs follow a redirect without the
// token (docs/failures.md, "Failure behaviour"); logout (contract item 4) succeeds
// only on the logout endpoint's own 200 "OK!", so a redirect is an error
// even when the target answers "OK!". No secret reaches any target, any
// error or the log.
func TestHostileRedirects(t *testing.T) {
	h := newHostileNet(t)
	for _, ep := range redirectEndpoints {
		for _, target := range redirectTargets {
			for _, status := range redirectStatuses {
				t.Run(fmt.Sprintf("%s/%s/%d", ep.name, target.name, status), func(t *testing.T) {
					h.reset()
					h.answer(ep.path, func(w http.ResponseWriter, r *http.Request) {
						w.Header().Set("Location", target.location)
						w.WriteHeader(status)
					})
					var logs logBuffer
					err := ep.call(t, h, h.client(t, &logs))
					secrets := hostileSecrets()
					if ep.token {
						secrets["redirect query"] = hostileQuery
						checkTokenRedirect(t, h, ep, target, status, err)
					} else {
						checkFollowedRedirect(t, h, ep, err)
					}
					checkNoSecrets(t, secrets, err, logs.String())
					for _, req := range append(h.rec.requests(), "") {
						if found := hostileSecrets().find(req); len(found) > 0 {
							t.Errorf("issue 13 §2: %v reached the redirect target:\n%s", found, req)
						}
					}
				})
			}
		}
	}
}

func checkTokenRedirect(t *testing.T, h *hostileNet, ep redirectEndpoint, target redirectTarget, status int, err error) {
	t.Helper()
	var ae *telenor.AuthError
	if !errors.As(err, &ae) || ae.StatusCode != status {
		t.Errorf("contract item 2: got %v, want an *AuthError with StatusCode %d", err, status)
	} else if msg := err.Error(); !strings.Contains(msg, target.host) || !strings.Contains(msg, fmt.Sprint(status)) {
		// A relative Location has no host of its own: only the status is required.
		t.Errorf("contract item 2: %q must name the status %d and the target host %q", msg, status, target.host)
	}
	if n := len(h.rec.requests()) + h.hits.get("/elsewhere") + h.hits.get("/landing"); n != 0 {
		t.Errorf("contract item 2: %d request(s) reached the redirect target, want 0", n)
	}
	if got := h.hits.get(ep.path); got != 1 {
		t.Errorf("requests to %s = %d, want 1", ep.path, got)
	}
}

func checkFollowedRedirect(t *testing.T, h *hostileNet, ep redirectEndpoint, err error) {
	t.Helper()
	for _, req := range h.rec.requests() {
		if strings.Contains(strings.ToLower(req), "\nauthorization: bearer") {
			t.Errorf("a Bearer token reached another host:\n%s", req)
		}
	}
	if ep.path == telenortest.LogoutPath && err == nil {
		t.Error("contract item 4: Logout returned nil, but the logout endpoint answered a redirect, not 200 \"OK!\": nothing confirmed the token was revoked")
	}
}
