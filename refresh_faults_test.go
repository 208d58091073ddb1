package telenor

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// While the token endpoint fails during the early-refresh window, callers
// keep the valid token, the retries are spaced by backoff, and once the
// token really expires callers get a typed error instead of hanging.
func TestRefreshWindowFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault telenortest.Fault
		check func(t *testing.T, err error)
	}{
		{"500", telenortest.Fault{Status: 500, Code: 50001}, statusIs(500)},
		{"503 retry-after", telenortest.Fault{Status: 503, RetryAfter: "7"}, statusIs(503)},
		{"429 spike arrest", telenortest.Fault{Status: 429, Code: CodeSpikeArrest}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrRateLimited)
		}},
		{"hang", telenortest.Fault{Hang: true}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrTokenTimeout)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// 100 s tokens: refresh window opens at 65 s, stale at 90 s.
				srv, cli := newMemClient(t, telenortest.WithTokenLifetime(100*time.Second))
				s := systemSession(cli)
				start := time.Now()
				first, err := s.Token(t.Context())
				require.NoError(t, err)
				srv.Fail(telenortest.PasswordTokenPath, 1_000_000, tt.fault)

				for time.Since(start) < 89*time.Second {
					tok, err := s.Token(t.Context())
					require.NoError(t, err, "no caller-visible error while the token is valid")
					require.Same(t, first, tok)
					time.Sleep(100 * time.Millisecond)
				}
				retries := srv.TokenRequests() - 1
				assert.Positive(t, retries, "the refresh was attempted")
				assert.Less(t, retries, 60, "backoff spaces the retries over 24 s of failures")

				time.Sleep(2 * time.Second) // past the safety margin
				_, err = s.Token(t.Context())
				require.Error(t, err, "an expired token is never served")
				tt.check(t, err)
			})
		})
	}
}

func statusIs(code int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var ae *AuthError
		if assert.True(t, errors.As(err, &ae), "want *AuthError, got %T: %v", err, err) {
			assert.Equal(t, code, ae.StatusCode)
		}
	}
}
