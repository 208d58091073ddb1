package telenor

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

func TestAuthCodeURLWithPKCE(t *testing.T) {
	cli, err := NewClient(Config{ClientID: "id", ClientSecret: "s"})
	require.NoError(t, err)
	u, err := url.Parse(cli.AuthCodeURL("st"))
	require.NoError(t, err)
	assert.NotContains(t, u.Query(), "code_challenge", "PKCE is off by default")

	verifier := oauth2.GenerateVerifier()
	u, err = url.Parse(cli.AuthCodeURL("st", WithScope("a"), WithPKCE(verifier)))
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(verifier))
	q := u.Query()
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(sum[:]), q.Get("code_challenge"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Equal(t, "a", q.Get("scope"))
	assert.NotContains(t, u.String(), verifier, "the verifier never leaves the app before the exchange")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, v := range []any{WithPKCE(verifier), []AuthCodeOption{WithPKCE(verifier)}} {
			assertNoBytes(t, fmt.Sprintf(verb, v), []byte(verifier), verb)
		}
	}
}

// pkceLogin runs the authorization request with authOpts against srv
// (auto-approving) and the callback with cbOpts, and returns the result.
func pkceLogin(t *testing.T, srv *telenortest.Server, cli *Client, authOpts, cbOpts []AuthCodeOption) (*UserSession, error) {
	t.Helper()
	state := NewState()
	hc := srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(cli.AuthCodeURL(state, authOpts...))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	cb := httptest.NewRequest(http.MethodGet, resp.Header.Get("Location"), nil)
	require.NotEmpty(t, cb.URL.Query().Get("code"))
	return cli.HandleCallback(t.Context(), cb, state, cbOpts...)
}

func TestHandleCallbackWithPKCE(t *testing.T) {
	srv := telenortest.NewServer(telenortest.WithConsent(telenortest.ConsentAutoApprove),
		telenortest.WithRedirectURL(testCallbackURL))
	cli := newTestClient(t, srv)
	verifier := oauth2.GenerateVerifier()
	pkce := []AuthCodeOption{WithPKCE(verifier)}

	user, err := pkceLogin(t, srv, cli, pkce, pkce)
	require.NoError(t, err)
	_, err = user.UserInfo(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenRequests())

	_, err = pkceLogin(t, srv, cli, pkce, nil)
	assert.ErrorIs(t, err, ErrInvalidGrant, "the gateway checks the challenge: no verifier, no token")
	_, err = pkceLogin(t, srv, cli, pkce, []AuthCodeOption{WithPKCE(oauth2.GenerateVerifier())})
	assert.ErrorIs(t, err, ErrInvalidGrant, "another login's verifier")
	_, err = pkceLogin(t, srv, cli, nil, pkce)
	assert.ErrorIs(t, err, ErrInvalidGrant, "a verifier without a challenge")
	assert.Equal(t, 4, srv.TokenRequests())
}

func TestExchangeRefusesMalformedVerifier(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	for name, v := range map[string]string{
		"empty":     "",
		"too short": strings.Repeat("v", 42),
		"too long":  strings.Repeat("v", 129),
		"bad chars": strings.Repeat("v", 42) + "+",
		"secretish": "s3cret verifier with spaces and more than forty-three chars",
	} {
		_, err := cli.Exchange(t.Context(), "code", WithPKCE(v))
		require.ErrorIs(t, err, ErrInvalidConfig, name)
		assert.Contains(t, err.Error(), "GenerateVerifier", name)
		if v != "" {
			assert.NotContains(t, err.Error(), v, name)
		}
	}
	assert.Zero(t, srv.TokenRequests(), "nothing is sent with a malformed verifier")
}
