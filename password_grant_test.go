package telenor

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

func TestPasswordGrantOverLoopback(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	tok, err := s.Token(t.Context())
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)
	assert.WithinDuration(t, time.Now().Add(3599*time.Second), tok.Expiry, time.Minute)
	info, ok := srv.LookupToken(tok.AccessToken)
	require.True(t, ok)
	assert.Equal(t, telenortest.DefaultUsername, info.Subject)
	assert.Equal(t, 1, srv.Requests("/oauth/token"))
	assert.Equal(t, 0, srv.Requests("/oauth/v2/token"))
}

func TestPasswordGrantAtV2TokenURL(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv, func(c *Config) { c.Endpoint.PasswordTokenURL = srv.URL + "/oauth/v2/token" })
	_, err := systemSession(cli).Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Requests("/oauth/v2/token"))
}

func TestPasswordGrantRejectedPassword(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := cli.PasswordGrant(telenortest.DefaultUsername, "wrong-password-xyz")
	for range 3 {
		_, err := s.Token(t.Context())
		var ae *AuthError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
		assert.ErrorIs(t, err, ErrInvalidGrant)
		assert.NotErrorIs(t, err, ErrInvalidClient)
		var re *oauth2.RetrieveError
		assert.False(t, errors.As(err, &re), "x/oauth2's error, which holds the request, is not kept")
		assert.NotContains(t, err.Error(), "wrong-password-xyz")
	}
	assert.Equal(t, 1, srv.TokenRequests(), "exactly one POST: a rejected password is not retried")
}

func TestPasswordGrantRejectedClient(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv, func(c *Config) { c.ClientSecret = "not-the-secret" })
	_, err := systemSession(cli).Token(t.Context())
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, gateway.CodeInvalidClient, ae.GatewayCode)
	assert.ErrorIs(t, err, ErrInvalidClient)
	assert.NotErrorIs(t, err, ErrInvalidGrant)
	assert.NotContains(t, err.Error(), "not-the-secret")
}

func TestPasswordGrantEmptyCredentials(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	_, err := cli.PasswordGrant("", "").Token(t.Context())
	assert.ErrorIs(t, err, ErrInvalidConfig)
	assert.Zero(t, srv.TokenRequests())
}

func TestPasswordGrantStampede(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	start := make(chan struct{})
	toks := make([]*oauth2.Token, stampedeCallers)
	errs := make([]error, stampedeCallers)
	var wg sync.WaitGroup
	for i := range toks {
		wg.Go(func() {
			<-start
			toks[i], errs[i] = s.Token(t.Context())
		})
	}
	close(start)
	wg.Wait()
	for i := range toks {
		require.NoError(t, errs[i])
		require.Same(t, toks[0], toks[i])
	}
	assert.Equal(t, 1, srv.TokenRequests(), "%d callers, one token request", stampedeCallers)
}

func TestPasswordGrantExpiresIn(t *testing.T) {
	tests := []struct {
		raw  string // JSON for expires_in; "" omits it
		life time.Duration
	}{
		{"3599", 3599 * time.Second},
		{`"3599"`, 3599 * time.Second},
		{"", DefaultTokenLifetime},
		{"0", DefaultTokenLifetime},
		{"-5", DefaultTokenLifetime},
		{"1000000000000", maxTokenLifetime},
		{"null", DefaultTokenLifetime},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t, telenortest.WithRawExpiresIn(tt.raw))
				start := time.Now()
				tok, err := systemSession(cli).Token(t.Context())
				require.NoError(t, err)
				assert.Equal(t, start.Add(tt.life), tok.Expiry, "expiry counts from the send time")
				assert.False(t, tok.Expiry.IsZero())
				assert.Equal(t, 1, srv.TokenRequests())
			})
		})
	}
}

// x/oauth2 reads expires_in as a number or a numeric string, in whole
// seconds; anything else makes the answer unreadable: a malformed
// response, not retried (and never a token valid forever).
func TestPasswordGrantUnreadableExpiresIn(t *testing.T) {
	for _, raw := range []string{`"abc"`, "3599.5", "true", "{}"} {
		t.Run(raw, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t, telenortest.WithRawExpiresIn(raw))
				tok, err := systemSession(cli).Token(t.Context())
				assert.ErrorIs(t, err, ErrMalformedResponse)
				assert.Nil(t, tok)
				assert.Equal(t, 1, srv.TokenRequests())
			})
		})
	}
}

func TestPasswordGrantExpiryCountsFromSend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t, telenortest.WithTokenLifetime(time.Hour))
		srv.Fail("/oauth/token", 1, telenortest.Fault{Delay: 20 * time.Second})
		start := time.Now()
		tok, err := systemSession(cli).Token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, start.Add(time.Hour), tok.Expiry)
	})
}

func TestPasswordGrantRetriesTransientFailures(t *testing.T) {
	tests := []struct {
		name     string
		fault    telenortest.Fault
		requests int
		ok       bool
	}{
		{"500", telenortest.Fault{Status: 500, Code: 50001}, 2, true},
		{"503 retry-after", telenortest.Fault{Status: 503, RetryAfter: "3"}, 2, true},
		{"429 spike arrest", telenortest.Fault{Status: 429, Code: 42902}, 2, true},
		{"429 quota is not retried", telenortest.Fault{Status: 429, Code: 42901}, 1, false},
		{"reset", telenortest.Fault{Reset: true}, 2, true},
		{"html 502", telenortest.Fault{Status: 502, Shape: telenortest.ShapeHTML}, 2, true},
		{"400 not retried", telenortest.Fault{Status: 400, Shape: telenortest.ShapeOAuth, Message: "bad"}, 1, false},
		{"malformed 200", telenortest.Fault{Status: 200, Shape: telenortest.ShapeMalformedJSON}, 1, false},
		{"empty 200", telenortest.Fault{Status: 200, Shape: telenortest.ShapeEmpty}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t)
				srv.Fail("/oauth/token", 1, tt.fault)
				start := time.Now()
				tok, err := systemSession(cli).Token(t.Context())
				assert.Equal(t, tt.requests, srv.TokenRequests())
				if !tt.ok {
					require.Error(t, err)
					return
				}
				require.NoError(t, err)
				assert.NotEmpty(t, tok.AccessToken)
				if tt.fault.RetryAfter != "" {
					assert.GreaterOrEqual(t, time.Since(start), 3*time.Second, "Retry-After honoured")
				}
			})
		})
	}
}

func TestPasswordGrantMalformedResponsesAreTyped(t *testing.T) {
	tests := []struct {
		name  string
		fault telenortest.Fault
	}{
		{"malformed json", telenortest.Fault{Status: 200, Shape: telenortest.ShapeMalformedJSON}},
		{"empty", telenortest.Fault{Status: 200, Shape: telenortest.ShapeEmpty}},
		{"html", telenortest.Fault{Status: 200, Shape: telenortest.ShapeHTML}},
		{"10 MB", telenortest.Fault{Status: 200, Size: 10 << 20}},
		{"no access_token", telenortest.Fault{Status: 200, Body: `{"expires_in":3599}`}},
		{"array", telenortest.Fault{Status: 200, Body: `[{"access_token":"x"}]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t)
				srv.Fail("/oauth/token", 1, tt.fault)
				tok, err := systemSession(cli).Token(t.Context())
				require.Error(t, err)
				assert.Nil(t, tok)
				assert.ErrorIs(t, err, ErrMalformedResponse)
				assert.NotContains(t, err.Error(), "aaaa", "the body is never quoted")
				assert.Equal(t, 1, srv.TokenRequests(), "a malformed 200 is not retried")
			})
		})
	}
}

func TestPasswordGrantHangingEndpointEndsWithTokenTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t)
		srv.Fail("/oauth/token", 10, telenortest.Fault{Hang: true})
		start := time.Now()
		_, err := systemSession(cli).Token(t.Context())
		require.Error(t, err)
		assert.True(t, errors.Is(err, ErrTokenTimeout), "%v", err)
		assert.Equal(t, 30*time.Second, time.Since(start), "the fetch's own timeout ends it")
	})
}

// memClientWith is newMemClient with the Config edited.
func memClientWith(t *testing.T, edit func(*Config)) (*telenortest.Server, *Client) {
	t.Helper()
	srv := telenortest.NewUnstartedServer()
	cfg := Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      "http://127.0.0.1",
		HTTPClient:   &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}},
	}
	edit(&cfg)
	cli, err := NewClient(cfg)
	require.NoError(t, err)
	return srv, cli
}

// A rejected password or client secret reaches the token endpoint once per
// Session, however long and often the application keeps calling: each
// resend of a wrong password counts towards locking the system user out.
func TestPasswordGrantRejectedCredentialsAreSentOnce(t *testing.T) {
	tests := map[string]struct {
		secret, password string
		target           error
	}{
		"wrong password": {telenortest.DefaultClientSecret, "wrong-password-xyz", ErrInvalidGrant},
		"wrong secret":   {"wrong-secret-xyz", telenortest.DefaultPassword, ErrInvalidClient},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := memClientWith(t, func(c *Config) { c.ClientSecret = tt.secret })
				s := cli.PasswordGrant(telenortest.DefaultUsername, tt.password)
				_, first := s.Token(t.Context())
				require.ErrorIs(t, first, tt.target)
				for i := range 2 * 60 * 60 { // a call a second for two hours
					_, err := s.Token(t.Context())
					require.Same(t, first, err, "the same error, at once")
					if i%600 == 0 {
						_, err = s.Organizations(t.Context())
						require.ErrorIs(t, err, tt.target)
					}
					time.Sleep(time.Second)
				}
				assert.Equal(t, 1, srv.TokenRequests(), "the credentials were sent once")
				assert.Zero(t, srv.Requests(telenortest.OrganizationsPath))
				msg := first.Error()
				assert.Contains(t, msg, "make a new session (Client.PasswordGrant) after fixing the credentials")
				assert.NotContains(t, msg, "wrong-")
			})
		})
	}
}

// Transient failures keep the backoff: the Session tries again, spaced out.
func TestPasswordGrant5xxKeepsRetryingWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t)
		srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Status: 503})
		s := systemSession(cli)
		for range 60 { // a call a second for a minute
			_, err := s.Token(t.Context())
			require.Error(t, err)
			require.NotContains(t, err.Error(), "make a new session")
			time.Sleep(time.Second)
		}
		n := srv.TokenRequests()
		assert.True(t, n > 3 && n < 60, "retried, with backoff: %d requests", n)
	})
}

// http.Client.Timeout (a common setting) ending a token request is a token
// timeout like any other: it matches ErrTokenTimeout, not the caller's
// context.DeadlineExceeded, and it is retried.
func TestPasswordGrantHTTPClientTimeoutIsTokenTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := memClientWith(t, func(c *Config) {
			c.HTTPClient.Timeout = 10 * time.Second
		})
		srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Hang: true})
		s := systemSession(cli)
		start := time.Now()
		_, err := s.Token(context.Background())
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrTokenTimeout)
		assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context has no deadline")
		assert.Equal(t, 30*time.Second, time.Since(start), "retried until TokenTimeout")
		assert.Equal(t, 3, srv.TokenRequests(), "10 s, 10 s, then cut by TokenTimeout")

		time.Sleep(10 * time.Second) // past the cache's backoff
		_, err = s.Token(context.Background())
		assert.ErrorIs(t, err, ErrTokenTimeout)
		assert.Equal(t, 6, srv.TokenRequests(), "the next call tries again")
	})
}

// With MaxAttempts 1 the single timed-out request is reported the same way.
func TestPasswordGrantSingleHTTPTimeoutIsTokenTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := memClientWith(t, func(c *Config) {
			c.HTTPClient.Timeout = 10 * time.Second
			c.Retry.MaxAttempts = 1
		})
		srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Hang: true})
		start := time.Now()
		_, err := systemSession(cli).Token(context.Background())
		assert.ErrorIs(t, err, ErrTokenTimeout)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 10*time.Second, time.Since(start))
	})
}
