package telenor

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
)

type connRequestsKey struct{}

// TestMaxAttemptsCountsNetHTTPRetries serves each keep-alive connection one
// 503 and resets it on its next request. net/http silently resends a GET
// that failed on a reused connection; that resend reached the server, so
// it counts against MaxAttempts.
func TestMaxAttemptsCountsNetHTTPRetries(t *testing.T) {
	ws := oneAnswerPerConn(t)
	_, err := ws.user(t).UserInfo(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
	assert.Equal(t, int64(3), ws.requests.Load(), "MaxAttempts 3: requests that reached the server")
}

// oneAnswerPerConn is a server that answers each keep-alive connection's
// first request with a 503 and resets it on the next.
func oneAnswerPerConn(t *testing.T) *wireServer {
	return newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(connRequestsKey{}).(*atomic.Int32).Add(1) > 1 {
			abortConn(t, w)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}, func(srv *http.Server) {
		srv.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, connRequestsKey{}, new(atomic.Int32))
		}
	})
}

// attemptsSeen is an Observer that keeps each operation's Attempts.
type attemptsSeen struct {
	nilObserver
	attempts []int
}

func (a *attemptsSeen) OperationEnd(_ context.Context, op Operation) {
	a.attempts = append(a.attempts, op.Attempts)
}

// The final error and the Observer count net/http's silent resend as the
// request it is: they said "after 2 attempts" when the server had seen 3.
func TestAttemptsCountNetHTTPResends(t *testing.T) {
	ws := oneAnswerPerConn(t)
	obs := &attemptsSeen{}
	_, err := ws.user(t, func(c *Config) { c.Observer = obs }).UserInfo(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, int64(3), ws.requests.Load())
	assert.Equal(t, 3, ae.Attempts)
	assert.Contains(t, err.Error(), "(after 3 attempts)")
	assert.Equal(t, []int{3}, obs.attempts)
}

// TestMaxAttemptsOnResetsOfFreshConnections: a reset on a new connection is
// not resent by net/http, so each SDK attempt is one request.
func TestMaxAttemptsOnResetsOfFreshConnections(t *testing.T) {
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) { abortConn(t, w) })
	_, err := ws.user(t, func(c *Config) { c.Retry.MaxAttempts = 4 }).UserInfo(t.Context())
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	assert.Equal(t, int64(4), ws.requests.Load())
}

// The SDK's counting trace leaves the caller's own httptrace hooks working.
func TestCallerClientTraceStillCalled(t *testing.T) {
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {})
	var got atomic.Int32
	ctx := httptrace.WithClientTrace(t.Context(), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { got.Add(1) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ws.URL+gateway.UserInfoPath, nil)
	require.NoError(t, err)
	resp, err := ws.user(t).HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, int32(1), got.Load())
}
