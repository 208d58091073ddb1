package telenor

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// syncBuffer is a bytes.Buffer safe for a logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A gateway that serves the password grant only at /oauth/v2/token (as
// every public Telenor sample does): the default path's 404 makes the SDK
// post once to /oauth/v2/token and keep using it for the Client's life.
func TestPasswordGrantFallsBackToV2TokenOn404(t *testing.T) {
	srv := telenortest.NewServer()
	srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Status: 404, Code: gateway.CodeBackendNotFound})
	logs := &syncBuffer{}
	cli := newTestClient(t, srv, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	})
	require.Equal(t, srv.URL+gateway.PasswordTokenPath, cli.Endpoint().PasswordTokenURL)

	_, err := systemSession(cli).Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Requests(telenortest.PasswordTokenPath))
	assert.Equal(t, 1, srv.Requests(telenortest.TokenPath))
	assert.Equal(t, srv.URL+gateway.TokenPath, cli.Endpoint().PasswordTokenURL, "Endpoint reports the path in use")

	var wg sync.WaitGroup
	for range 8 { // more Sessions of the same Client go straight to v2
		wg.Go(func() {
			_, err := systemSession(cli).Token(t.Context())
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, srv.Requests(telenortest.PasswordTokenPath), "the default path is not tried again")
	assert.Equal(t, 9, srv.Requests(telenortest.TokenPath))
	assert.Equal(t, 1, strings.Count(logs.String(), "level=WARN"), "logged once: %s", logs)
	assert.Contains(t, logs.String(), gateway.TokenPath)
}

// A PasswordTokenURL the user set is used as set: its 404 is an error.
func TestPasswordGrantNoFallbackForConfiguredURL(t *testing.T) {
	srv := telenortest.NewServer()
	srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Status: 404, Code: gateway.CodeBackendNotFound})
	cli := newTestClient(t, srv, func(c *Config) { c.Endpoint.PasswordTokenURL = srv.URL + gateway.PasswordTokenPath })
	_, err := systemSession(cli).Token(t.Context())
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusNotFound, ae.StatusCode)
	assert.Equal(t, 1, srv.Requests(telenortest.PasswordTokenPath))
	assert.Zero(t, srv.Requests(telenortest.TokenPath))
	assert.Equal(t, srv.URL+gateway.PasswordTokenPath, cli.Endpoint().PasswordTokenURL)
}

// When both paths answer 404 the default stays, and the 404 is returned.
func TestPasswordGrantFallbackBoth404(t *testing.T) {
	srv := telenortest.NewServer()
	for _, p := range []string{telenortest.PasswordTokenPath, telenortest.TokenPath} {
		srv.Fail(p, 1<<20, telenortest.Fault{Status: 404, Code: gateway.CodeBackendNotFound})
	}
	cli := newTestClient(t, srv)
	_, err := systemSession(cli).Token(t.Context())
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusNotFound, ae.StatusCode)
	assert.Equal(t, 1, srv.Requests(telenortest.PasswordTokenPath))
	assert.Equal(t, 1, srv.Requests(telenortest.TokenPath), "posted once to v2")
	assert.Equal(t, 2, ae.Attempts, "both requests count")
	assert.Equal(t, srv.URL+gateway.PasswordTokenPath, cli.Endpoint().PasswordTokenURL)
}

// The default path's 404 is a request like the others: an error after the
// fallback's retries counts it, as the server does.
func TestPasswordGrantFallbackCountsEveryRequest(t *testing.T) {
	srv := telenortest.NewServer()
	srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Status: 404, Code: gateway.CodeBackendNotFound})
	srv.Fail(telenortest.TokenPath, 1<<20, telenortest.Fault{Status: 503})
	cli := newTestClient(t, srv, func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond} })
	_, err := systemSession(cli).Token(t.Context())
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
	sent := srv.Requests(telenortest.PasswordTokenPath) + srv.Requests(telenortest.TokenPath)
	assert.Equal(t, 4, sent)
	assert.Equal(t, sent, ae.Attempts)
	assert.Contains(t, err.Error(), "after 4 attempts")
}
