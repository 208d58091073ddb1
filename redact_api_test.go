package telenor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// apiFaults is the API side of the fault matrix the secrets test runs
// through (see TestFaultMatrixAPI for the outcomes).
var apiFaults = []telenortest.Fault{
	{},
	{Status: 401, Code: gateway.CodeTokenInvalid},
	{Status: 401, Code: gateway.CodeTokenExpired},
	{Status: 401, Shape: telenortest.ShapeApigee},
	{Status: 403, Code: gateway.CodeInvalidScope},
	{Status: 404, Code: gateway.CodeBackendNotFound},
	{Status: 429, Code: CodeSpikeArrest, RetryAfter: "1"},
	{Status: 429, Code: CodeQuotaExceeded},
	{Status: 503, Shape: telenortest.ShapeHTML},
	{Status: 500, Code: 50001},
	{Status: 200, Body: `{"mobileNumber":"47`},
	{Status: 200, Shape: telenortest.ShapeHTML},
	{Status: 200, Size: 2 << 20},
	{Reset: true},
	{Redirect: "http://other.example/x"},
}

// Every error, debug-level log record and formatted public value produced
// across the API fault matrix, for a system user and an end user, is free
// of the client secret, the password and every access token; the same
// holds for the authorization-code flow's codes, state and cookie key.
func TestNoSecretAcrossAPIFaultsAndAuthCode(t *testing.T) {
	for i, f := range apiFaults {
		for _, system := range []bool{true, false} {
			t.Run(fmt.Sprintf("%d/system=%v", i, system), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					srv, cfg, cli, logs := leakyClient(t)
					user := userSession(cli, srv)
					var s interface {
						Token(context.Context) (*oauth2.Token, error)
					} = user
					path := telenortest.UserInfoPath
					call := func() (any, error) { return user.UserInfo(t.Context()) }
					if system {
						sys := cli.PasswordGrant(telenortest.DefaultUsername, leakPassword)
						s, path = sys, telenortest.OrganizationsPath
						call = func() (any, error) { return sys.Organizations(t.Context()) }
					}
					first, err := s.Token(t.Context())
					require.NoError(t, err)
					srv.Fail(path, 3, f)
					v, err := call()
					secrets := []string{leakSecret, leakPassword, first.AccessToken}
					if tok, terr := s.Token(t.Context()); terr == nil {
						secrets = append(secrets, tok.AccessToken)
					}
					var out strings.Builder
					formatAll(&out, cfg, &cfg, cli, s, err, v, cli.Endpoint(), cfg.Retry)
					var ae *APIError
					if errors.As(err, &ae) {
						formatAll(&out, ae, *ae)
					}
					if err != nil {
						out.WriteString(err.Error())
					}
					out.Write(logs.Bytes())
					assertNoSecret(t, out.String(), secrets)
				})
			})
		}
	}
}

func TestNoSecretInAuthCodeValues(t *testing.T) {
	var logs bytes.Buffer
	srv := telenortest.NewServer(telenortest.WithConsent(telenortest.ConsentAutoApprove),
		telenortest.WithRedirectURL(testCallbackURL), telenortest.WithClient(telenortest.DefaultClientID, leakSecret))
	cli := newTestClient(t, srv, func(c *Config) {
		c.ClientSecret = leakSecret
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	key := bytes.Repeat([]byte("K"), 32)
	sc, err := NewStateCookie(key)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	state, err := sc.Issue(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/login", nil))
	require.NoError(t, err)
	cb := codeFor(t, srv, cli, state)
	code := cb.Query().Get("code")
	user, err := cli.HandleCallback(t.Context(), httptest.NewRequest(http.MethodGet, cb.String(), nil), state)
	require.NoError(t, err)
	tok, err := user.Token(t.Context())
	require.NoError(t, err)
	_, replayErr := cli.Exchange(t.Context(), code)
	require.Error(t, replayErr)
	var authErr *AuthError
	require.ErrorAs(t, replayErr, &authErr)
	info, infoErr := user.UserInfo(t.Context())
	require.NoError(t, infoErr)
	_, mismatch := cli.HandleCallback(t.Context(), httptest.NewRequest(http.MethodGet, cb.String(), nil), "other")
	require.ErrorIs(t, mismatch, ErrStateMismatch)

	var out strings.Builder
	formatAll(&out, sc, *sc, user, replayErr, authErr, *authErr, info, cli, mismatch)
	out.WriteString(replayErr.Error())
	out.Write(logs.Bytes())
	assertNoSecret(t, out.String(), []string{code, tok.AccessToken, state, leakSecret, string(key)})
}
