package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/telenor-go/telenor/telenortest"
)

// TestMain checks for leaked goroutines, except the one scs.New starts
// for each app's in-memory sessions, which sweeps them every minute for
// the life of the process (by scs' design; it cannot be stopped safely).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/alexedwards/scs/v2/memstore.(*MemStore).startCleanup"))
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestRunServesTheAppWithTheFakeAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	urls := make(chan string, 1)
	var logs strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, env(map[string]string{"LINKAUTH_STATE_KEY": stateKey}), &logs, func(u string) { urls <- u })
	}()
	var appURL string
	select {
	case appURL = <-urls:
	case err := <-done:
		t.Fatal("run ended before listening:", err)
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(appURL + "/")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), "Log in with your mobile")

	cancel()
	require.NoError(t, <-done, "graceful shutdown")
	assert.Contains(t, logs.String(), "using the fake Telenor gateway")
	assert.NotContains(t, logs.String(), stateKey)
	assert.NotContains(t, logs.String(), telenortest.DefaultClientSecret)
}

// stateKey is a LINKAUTH_STATE_KEY that must never be printed.
const stateKey = "state-key-never-printed-0123456789abcdef"

func TestParseConfig(t *testing.T) {
	c, err := parseConfig(nil, env(nil), io.Discard)
	require.NoError(t, err)
	assert.True(t, c.fake, "no credentials: fake")
	assert.Equal(t, "127.0.0.1:8080", c.addr)
	assert.GreaterOrEqual(t, len(c.stateKey), 32)

	c, err = parseConfig([]string{"-base-url", "https://test-api.telenor.no"}, env(map[string]string{
		"TELENOR_CLIENT_ID": "id", "TELENOR_CLIENT_SECRET": "secret", "LINKAUTH_ADDR": ":9000",
	}), io.Discard)
	require.NoError(t, err)
	assert.False(t, c.fake, "credentials: real gateway")
	assert.Equal(t, ":9000", c.addr)
	assert.Equal(t, "https://test-api.telenor.no", c.baseURL)

	assert.False(t, c.plainHTTP, "Secure session cookie by default")
	c, err = parseConfig([]string{"-plain-http"}, env(nil), io.Discard)
	require.NoError(t, err)
	assert.True(t, c.plainHTTP)

	_, err = parseConfig([]string{"-fake=false"}, env(nil), io.Discard)
	assert.ErrorContains(t, err, "TELENOR_CLIENT_ID")
	_, err = parseConfig([]string{"extra"}, env(nil), io.Discard)
	assert.Error(t, err)
}
