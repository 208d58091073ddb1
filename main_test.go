package telenor

import (
	"net/http"
	"testing"

	"go.uber.org/goleak"

	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newTestClient returns a Client for srv, which serves on a real loopback
// listener; the server is closed when the test ends.
func newTestClient(t testing.TB, srv *telenortest.Server, edit ...func(*Config)) *Client {
	t.Helper()
	t.Cleanup(srv.Close)
	cfg := Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      srv.URL,
		HTTPClient:   srv.Client(),
	}
	for _, e := range edit {
		e(&cfg)
	}
	cli, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cli
}

// newMemClient returns a Client that reaches an unstarted telenortest server
// in process. Use it inside synctest bubbles, where time is virtual and real
// sockets would not let the bubble idle.
func newMemClient(t testing.TB, opts ...telenortest.Option) (*telenortest.Server, *Client) {
	t.Helper()
	srv := telenortest.NewUnstartedServer(opts...)
	cli, err := NewClient(Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      "http://127.0.0.1",
		HTTPClient:   &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, cli
}

// systemSession is the default system user's session on cli.
func systemSession(cli *Client) *SystemSession {
	return cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
}
