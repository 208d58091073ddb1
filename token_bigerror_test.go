package telenor

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// countedGateway serves srv on a real loopback listener and counts the
// TCP connections clients open to it.
func countedGateway(t *testing.T, srv *telenortest.Server) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts, &conns
}

// gatewayBody is a Telenor error body with code, padded to size bytes.
func gatewayBody(code, size int) string {
	head := `{"httpStatus":429,"errorCode":` + strconv.Itoa(code) + `,"description":"quota","pad":"`
	return head + strings.Repeat("p", size-len(head)-2) + `"}`
}

// Error bodies over 4 KiB from the token endpoint keep their gateway code
// (a 429 42901 with 20 KiB is quota: not retried) and cost no connection.
func TestTokenErrorBodyOver4KiB(t *testing.T) {
	srv := telenortest.NewUnstartedServer()
	ts, conns := countedGateway(t, srv)
	cli, err := NewClient(Config{ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: ts.URL, HTTPClient: ts.Client()})
	require.NoError(t, err)

	srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 429, Body: gatewayBody(CodeQuotaExceeded, 20<<10)})
	_, err = systemSession(cli).Token(t.Context())
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, CodeQuotaExceeded, ae.GatewayCode)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 1, srv.TokenRequests(), "quota is not retried")

	// Bigger than the token body limit: the status is kept (a 503 is
	// retried, not a malformed response), the body is drained.
	srv.Fail(telenortest.PasswordTokenPath, 3, telenortest.Fault{Status: 503, Body: gatewayBody(50001, 100<<10)})
	_, err = systemSession(cli).Token(t.Context())
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
	assert.NotErrorIs(t, err, ErrMalformedResponse)
	assert.Equal(t, 4, srv.TokenRequests(), "the 503 was retried")

	_, err = systemSession(cli).Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 5, srv.TokenRequests())
	assert.EqualValues(t, 1, conns.Load(), "every request reused the one keep-alive connection")
}
