package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/telenor-go/telenor/internal/redistest"
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
	cfg, err := parseConfig([]string{"-addr", "127.0.0.1:0"}, env(map[string]string{"LINKAUTH_STATE_KEY": stateKey}), io.Discard)
	require.NoError(t, err)
	go func() {
		done <- run(ctx, cfg, &logs, func(u string) { urls <- u })
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

	c, err = parseConfig([]string{"-fake=false"}, env(nil), io.Discard)
	require.NoError(t, err)
	_, _, err = newClient(c, "http://127.0.0.1:8080", slog.New(slog.DiscardHandler))
	assert.ErrorContains(t, err, "TELENOR_CLIENT_ID")
	_, err = parseConfig([]string{"extra"}, env(nil), io.Discard)
	assert.ErrorContains(t, err, "unexpected arguments")
}

func TestParseConfigRedis(t *testing.T) {
	withKey := map[string]string{"LINKAUTH_STATE_KEY": stateKey}
	c, err := parseConfig([]string{"-redis", "redis://redis:6379/0"}, env(withKey), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "redis://redis:6379/0", c.redisURL)

	withKey["LINKAUTH_REDIS_URL"] = "redis://:pw@redis:6379/1"
	c, err = parseConfig(nil, env(withKey), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "redis://:pw@redis:6379/1", c.redisURL, "from the environment")

	_, err = parseConfig([]string{"-redis", "redis://:pw@redis:6379/0"}, env(withKey), io.Discard)
	assert.ErrorContains(t, err, "LINKAUTH_REDIS_URL", "a password never on the command line")
	assert.NotContains(t, err.Error(), "pw")

	_, err = parseConfig([]string{"-redis", "redis://redis:6379/0"}, env(nil), io.Discard)
	assert.ErrorContains(t, err, "LINKAUTH_STATE_KEY", "instances must share the key")
}

func TestRunWithRedis(t *testing.T) {
	rs := redistest.Start(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	urls := make(chan string, 1)
	var logs strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- runArgs(ctx, []string{"-addr", "127.0.0.1:0"}, env(map[string]string{
			"LINKAUTH_STATE_KEY": stateKey, "LINKAUTH_REDIS_URL": rs.URL(),
		}), &logs, func(u string) { urls <- u })
	}()
	select {
	case <-urls:
	case err := <-done:
		t.Fatal("run ended before listening:", err)
	}
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, logs.String(), "in Redis, shared by every instance")

	rs.Stop()
	err := runArgs(t.Context(), []string{"-addr", "127.0.0.1:0"}, env(map[string]string{
		"LINKAUTH_STATE_KEY": stateKey, "LINKAUTH_REDIS_URL": rs.URL(),
	}), io.Discard, nil)
	assert.ErrorContains(t, err, "cannot reach Redis", "a clear error at start, not at the first login")
	err = runArgs(t.Context(), nil, env(map[string]string{
		"LINKAUTH_STATE_KEY": stateKey, "LINKAUTH_REDIS_URL": "http://user:secret-pw@x",
	}), io.Discard, nil)
	assert.ErrorContains(t, err, "not a valid redis")
	assert.NotContains(t, err.Error(), "secret-pw")
}

// runArgs is main without the process: parse the command line, then run.
func runArgs(ctx context.Context, args []string, getenv func(string) string, out io.Writer, ready func(string)) error {
	cfg, err := parseConfig(args, getenv, io.Discard)
	if err != nil {
		return err
	}
	return run(ctx, cfg, out, ready)
}
