package telenor

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

const (
	leakSecret   = "client-secret-LEAK-1"
	leakPassword = "password-LEAK-2"
)

// tokenFaults is the token endpoint's fault matrix that the secrets test
// runs through.
var tokenFaults = []telenortest.Fault{
	{},
	{Status: 500, Code: 50001},
	{Status: 503, RetryAfter: "1"},
	{Status: 429, Code: CodeQuotaExceeded},
	{Status: 429, Code: CodeSpikeArrest, Shape: telenortest.ShapeApigee},
	{Status: 400, Shape: telenortest.ShapeOAuth, Message: "bad"},
	{Status: 401, Code: gateway.CodeInvalidClient},
	{Reset: true},
	{Status: 200, Shape: telenortest.ShapeMalformedJSON},
	{Status: 200, Shape: telenortest.ShapeHTML},
	{Status: 200, Shape: telenortest.ShapeEmpty},
	{Status: 200, Size: 10 << 20},
}

// Every error, debug-level log record and formatted public value produced
// across the token fault matrix is free of the secret, the password and
// every access token the server issued.
func TestNoSecretInErrorsLogsOrFormatting(t *testing.T) {
	for i, f := range tokenFaults {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cfg, cli, logs := leakyClient(t)
				srv.Fail(telenortest.PasswordTokenPath, 1, f)
				s := cli.PasswordGrant(telenortest.DefaultUsername, leakPassword)
				tok, err := s.Token(t.Context())

				secrets := []string{leakSecret, leakPassword}
				if tok != nil {
					secrets = append(secrets, tok.AccessToken)
				}
				var out strings.Builder
				formatAll(&out, cfg, &cfg, cli, s, err, cli.Endpoint())
				if err != nil {
					out.WriteString(err.Error())
				}
				require.NotEmpty(t, logs.String(), "the SDK logged at debug level")
				out.Write(logs.Bytes())
				assertNoSecret(t, out.String(), secrets)
			})
		})
	}
}

// leakyClient returns a fake gateway that knows leakSecret and
// leakPassword, served in process, and a Client for it whose Logger writes
// every record at debug level into logs.
func leakyClient(t *testing.T) (srv *telenortest.Server, cfg Config, cli *Client, logs *bytes.Buffer) {
	t.Helper()
	logs = new(bytes.Buffer)
	srv = telenortest.NewUnstartedServer(
		telenortest.WithClient(telenortest.DefaultClientID, leakSecret),
		telenortest.WithSystemUser(telenortest.DefaultUsername, leakPassword))
	cfg = Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: leakSecret,
		BaseURL:    "http://127.0.0.1",
		HTTPClient: &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}},
		Logger:     slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	cli, err := NewClient(cfg)
	require.NoError(t, err)
	return srv, cfg, cli, logs
}

// formatAll writes every value with every verb, and through slog.
func formatAll(out *strings.Builder, values ...any) {
	for _, v := range values {
		fmt.Fprintf(out, "%v|%+v|%#v|%s|%q|%x|%d|%t\n", v, v, v, v, v, v, v, v)
	}
	slog.New(slog.NewTextHandler(out, nil)).Info("values", "values", values)
}

// assertNoSecret fails for every secret that appears in out.
func assertNoSecret(t *testing.T, out string, secrets []string) {
	t.Helper()
	for _, secret := range secrets {
		assert.NotContains(t, out, secret)
	}
}
