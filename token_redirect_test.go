package telenor

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// connCounter is a listener that counts the connections it accepts: a
// redirect target that was never dialled saw no request at all, whatever
// the scheme the redirect named.
type connCounter struct {
	net.Listener
	n atomic.Int64
}

func (l *connCounter) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// redirectRig serves the fake gateway over TLS as https://example.com
// (which the test certificate covers, with *.example.com) and sends every
// other host and port to a target that counts connections.
type redirectRig struct {
	srv    *telenortest.Server
	target *connCounter
	cli    *Client
}

func newRedirectRig(t *testing.T) *redirectRig {
	t.Helper()
	srv := telenortest.NewUnstartedServer()
	gw := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(gw.Close)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	target := &connCounter{Listener: ln}
	ts := &httptest.Server{Listener: target, Config: &http.Server{Handler: http.NotFoundHandler()}}
	ts.Start()
	t.Cleanup(ts.Close)

	tr := gw.Client().Transport.(*http.Transport).Clone()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == "example.com:443" {
			return d.DialContext(ctx, network, gw.Listener.Addr().String())
		}
		return d.DialContext(ctx, network, target.Addr().String())
	}
	tr.TLSClientConfig = &tls.Config{RootCAs: gw.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}
	cli, err := NewClient(Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      "https://example.com",
		HTTPClient:   &http.Client{Transport: tr},
	})
	require.NoError(t, err)
	t.Cleanup(tr.CloseIdleConnections)
	return &redirectRig{srv: srv, target: target, cli: cli}
}

// redirectTargets are where a hostile or misconfigured token endpoint
// sends the client, with the host the error must name.
var redirectTargets = []struct{ name, location, host string }{
	{"other port", "https://example.com:8443/oauth/token?code=leak-q", "https://example.com:8443"},
	{"plain http", "http://example.com/oauth/token?code=leak-q", "http://example.com"},
	{"subdomain", "https://evil.example.com/steal/leak-p?code=leak-q", "https://evil.example.com"},
}

var redirectStatuses = []int{301, 302, 303, 307, 308}

// checkRedirectError checks the error a token request got for a redirect.
func checkRedirectError(t *testing.T, err error, status int, host string, secrets ...string) {
	t.Helper()
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, status, ae.StatusCode)
	msg := err.Error()
	assert.Contains(t, msg, host, "the error names the redirect's host")
	assert.Contains(t, msg, "redirect", msg)
	for _, s := range append(secrets, "leak-q", "leak-p", telenortest.DefaultClientSecret, "Basic ") {
		assert.NotContains(t, msg, s)
	}
}

func TestPasswordGrantFollowsNoRedirect(t *testing.T) {
	rig := newRedirectRig(t)
	for _, status := range redirectStatuses {
		for _, tc := range redirectTargets {
			t.Run(tc.name+"/"+http.StatusText(status), func(t *testing.T) {
				before := rig.srv.TokenRequests()
				rig.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: status, Redirect: tc.location})
				_, err := systemSession(rig.cli).Token(t.Context())
				checkRedirectError(t, err, status, tc.host, telenortest.DefaultPassword)
				assert.Equal(t, 1, rig.srv.TokenRequests()-before, "one request, not retried")
			})
		}
	}
	assert.Zero(t, rig.target.n.Load(), "no connection reached any redirect target")
}

func TestCodeExchangeFollowsNoRedirect(t *testing.T) {
	rig := newRedirectRig(t)
	const code = "one-time-code-xyz"
	for _, status := range redirectStatuses {
		for _, tc := range redirectTargets {
			t.Run(tc.name+"/"+http.StatusText(status), func(t *testing.T) {
				rig.srv.Fail(telenortest.TokenPath, 1, telenortest.Fault{Status: status, Redirect: tc.location})
				_, err := rig.cli.Exchange(t.Context(), code)
				checkRedirectError(t, err, status, tc.host, code)
			})
		}
	}
	assert.Zero(t, rig.target.n.Load(), "no connection reached any redirect target")
}

// A relative Location names the token endpoint's own host, and is not
// followed either: the path may be anything.
func TestTokenRedirectRelativeLocation(t *testing.T) {
	rig := newRedirectRig(t)
	rig.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 307, Redirect: "/elsewhere/leak-p?code=leak-q"})
	_, err := systemSession(rig.cli).Token(t.Context())
	checkRedirectError(t, err, 307, "https://example.com", telenortest.DefaultPassword)
	assert.Equal(t, 1, rig.srv.TokenRequests())
	assert.True(t, strings.HasPrefix(err.Error(), "telenor: "), err.Error())
}
