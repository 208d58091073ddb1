package telenor

import (
	"context"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// All tests here run in synctest bubbles: elapsed times are virtual and
// exact, never wall-clock limits.

// memUser is a user Session on an in-process server, with edited Config.
func memUser(t *testing.T, edit func(*Config)) (*telenortest.Server, *UserSession) {
	t.Helper()
	srv, cli := newMemClient(t)
	if edit != nil {
		cfg := Config{ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: "http://127.0.0.1", HTTPClient: srv.Client()}
		edit(&cfg)
		var err error
		cli, err = NewClient(cfg)
		require.NoError(t, err)
	}
	return srv, userSession(cli, srv)
}

func TestRetryAfterHonoured(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter func() string
		want       time.Duration
	}{
		{"seconds", func() string { return "7" }, 7 * time.Second},
		{"HTTP date", func() string { return time.Now().Add(12 * time.Second).UTC().Format(http.TimeFormat) }, 12 * time.Second},
		{"capped by MaxRetryAfter", func() string { return "3600" }, 30 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, s := memUser(t, nil)
				srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 429, Code: CodeSpikeArrest, RetryAfter: tc.retryAfter()})
				start := time.Now()
				_, err := s.UserInfo(t.Context())
				require.NoError(t, err)
				assert.Equal(t, tc.want, time.Since(start))
				assert.Equal(t, 2, srv.Requests(telenortest.UserInfoPath))
			})
		})
	}
}

func TestRetriesTransientFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault telenortest.Fault
	}{
		{"503", telenortest.Fault{Status: 503, Shape: telenortest.ShapeHTML}},
		{"50001", telenortest.Fault{Status: 500, Code: 50001}},
		{"Apigee spike arrest", telenortest.Fault{Status: 429, Body: string(readTestdata(t, "error_apigee.json"))}},
		{"connection reset", telenortest.Fault{Reset: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, s := memUser(t, nil)
				srv.Fail(telenortest.UserInfoPath, 2, tc.fault)
				_, err := s.UserInfo(t.Context())
				require.NoError(t, err)
				assert.Equal(t, 3, srv.Requests(telenortest.UserInfoPath), "two failures, then success")
			})
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, s := memUser(t, func(c *Config) { c.Retry.MaxAttempts = 4 })
		srv.Fail(telenortest.UserInfoPath, 100, telenortest.Fault{Status: 503})
		_, err := s.UserInfo(t.Context())
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 503, ae.StatusCode)
		assert.Equal(t, 4, srv.Requests(telenortest.UserInfoPath))
	})
}

func TestResetRetriesAreBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, s := memUser(t, nil)
		srv.Fail(telenortest.UserInfoPath, 100, telenortest.Fault{Reset: true})
		_, err := s.UserInfo(t.Context())
		assert.ErrorIs(t, err, syscall.ECONNRESET)
		assert.Equal(t, 3, srv.Requests(telenortest.UserInfoPath))
	})
}

func TestQuotaNotRetriedByDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, s := memUser(t, nil)
		srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 429, Code: CodeQuotaExceeded, RetryAfter: "120"})
		start := time.Now()
		_, err := s.UserInfo(t.Context())
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.ErrorIs(t, err, ErrRateLimited)
		assert.Equal(t, 2*time.Minute, ae.RetryAfter)
		assert.Zero(t, time.Since(start))
		assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath))
	})
}

func TestQuotaRetriedWhenConfigured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, s := memUser(t, func(c *Config) { c.Retry.RetryQuota = true })
		srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 429, Code: CodeQuotaExceeded, RetryAfter: "5"})
		start := time.Now()
		_, err := s.UserInfo(t.Context())
		require.NoError(t, err)
		assert.Equal(t, 5*time.Second, time.Since(start))
	})
}

func TestRetriesStopWhenContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, s := memUser(t, nil)
		srv.Fail(telenortest.UserInfoPath, 10, telenortest.Fault{Status: 503, RetryAfter: "20"})
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(5*time.Second, cancel)
		start := time.Now()
		_, err := s.UserInfo(ctx)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 5*time.Second, time.Since(start), "returns the moment ctx ends")
		assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath))
	})
}

func TestNoRetryPastTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, s := memUser(t, nil)
		srv.Fail(telenortest.UserInfoPath, 10, telenortest.Fault{Status: 429, Code: CodeSpikeArrest, RetryAfter: "20"})
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		start := time.Now()
		_, err := s.UserInfo(ctx)
		var ae *APIError
		require.ErrorAs(t, err, &ae, "the answer in hand beats a deadline error")
		assert.Equal(t, 20*time.Second, ae.RetryAfter)
		assert.Zero(t, time.Since(start))
		assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath))
	})
}

func TestOnlyGETIsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, s := memUser(t, nil)
		srv.Fail(telenortest.UserInfoPath, 10, telenortest.Fault{Status: 503})
		resp, err := s.HTTPClient().Post("http://127.0.0.1"+telenortest.UserInfoPath, "application/json", http.NoBody)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath))
	})
}
