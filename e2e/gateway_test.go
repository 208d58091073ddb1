package e2e

import (
	"testing"

	"github.com/telenor-go/telenor/telenortest"
)

// startGateway starts the SDK's fake Telenor gateway on a loopback port and
// closes it when the test ends.
func startGateway(t testing.TB, opts ...telenortest.Option) *telenortest.Server {
	t.Helper()
	srv := telenortest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserReachesFakeGateway proves the path the scenario tests need: the
// real browser reaches the fake gateway on loopback (any answer will do; the
// gateway's counter shows the request arrived).
func TestBrowserReachesFakeGateway(t *testing.T) {
	gw := startGateway(t)
	ctx := newBrowser(t)
	navigate(t, ctx, gw.URL+telenortest.PasswordTokenPath)
	if n := gw.Requests(telenortest.PasswordTokenPath); n != 1 {
		t.Errorf("gateway saw %d requests to %s from the browser, want 1", n, telenortest.PasswordTokenPath)
	}
}
