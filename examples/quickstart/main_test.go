package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/telenor-go/telenor/telenortest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// env returns a getenv that knows only vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestRunWithoutCredentialsShowsTheWholeMission(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(t.Context(), &out, env(nil)))
	got := out.String()
	sub := telenortest.DefaultSubscriber()
	first, _, _ := strings.Cut(got, "\n")
	assert.Contains(t, first, "in-process fake Telenor gateway")
	for _, want := range []string{
		"system user " + telenortest.DefaultUsername,
		sub.MobileNumber,
		sub.GivenName + " " + sub.FamilyName,
		sub.Device.Manufacturer + " " + sub.Device.Model,
		"1000 concurrent callers on a fresh Session made 1 token request\n",
		"ErrReauthenticate",
	} {
		assert.Contains(t, got, want)
	}
	for _, label := range []string{"HD Voice", "4G", `4G\+`, "VoLTE"} {
		assert.Regexp(t, `\n   `+label+` +yes\n`, got, "capabilities are labelled as customers know them")
	}
	assert.NotContains(t, got, "volte")
	assertNoSecrets(t, got)
}

func TestRunWithCredentialsUsesTheirGateway(t *testing.T) {
	srv := telenortest.NewServer()
	defer srv.Close()
	var out strings.Builder
	err := run(t.Context(), &out, env(map[string]string{
		"TELENOR_CLIENT_ID":     telenortest.DefaultClientID,
		"TELENOR_CLIENT_SECRET": telenortest.DefaultClientSecret,
		"TELENOR_BASE_URL":      srv.URL, // loopback http is allowed
		"TELENOR_USERNAME":      telenortest.DefaultUsername,
		"TELENOR_PASSWORD":      telenortest.DefaultPassword,
	}))
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenRequests())
	assert.Contains(t, out.String(), "system user "+telenortest.DefaultUsername+" has a token")
	assert.Contains(t, out.String(), "go run -C examples/linkauth .")
	assertNoSecrets(t, out.String())
}

func TestRunFailsClearly(t *testing.T) {
	tests := map[string]struct {
		vars map[string]string
		want string
	}{
		"id without secret": {map[string]string{"TELENOR_CLIENT_ID": "id"}, "set both TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET"},
		"no system user":    {map[string]string{"TELENOR_CLIENT_ID": "id", "TELENOR_CLIENT_SECRET": "s3cret"}, "set TELENOR_USERNAME and TELENOR_PASSWORD"},
		"plain http gateway": {map[string]string{
			"TELENOR_CLIENT_ID": "id", "TELENOR_CLIENT_SECRET": "s3cret", "TELENOR_BASE_URL": "http://api.example",
			"TELENOR_USERNAME": "u", "TELENOR_PASSWORD": "p4ss",
		}, "BaseURL"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			err := run(t.Context(), &out, env(tc.vars))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error()+out.String(), "s3cret")
			assert.NotContains(t, err.Error()+out.String(), "p4ss")
		})
	}
}

func TestRunReportsWrongPassword(t *testing.T) {
	srv := telenortest.NewServer()
	defer srv.Close()
	var out strings.Builder
	err := run(t.Context(), &out, env(map[string]string{
		"TELENOR_CLIENT_ID": telenortest.DefaultClientID, "TELENOR_CLIENT_SECRET": telenortest.DefaultClientSecret,
		"TELENOR_BASE_URL": srv.URL, "TELENOR_USERNAME": telenortest.DefaultUsername, "TELENOR_PASSWORD": "wrong-p4ss",
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid_grant")
	assert.NotContains(t, err.Error(), "wrong-p4ss")
}

// tokenLike matches what a printed token or code would look like: a long
// run of URL-safe characters (the fake's tokens have 40).
var tokenLike = regexp.MustCompile(`[A-Za-z0-9_\-.~+]{32,}`)

// assertNoSecrets checks that the output holds no credential of the fake
// and nothing that looks like a token.
func assertNoSecrets(t *testing.T, out string) {
	t.Helper()
	assert.NotContains(t, out, telenortest.DefaultClientSecret)
	assert.NotContains(t, out, telenortest.DefaultPassword)
	assert.Empty(t, tokenLike.FindAllString(out, -1), "nothing token-like is printed")
}
