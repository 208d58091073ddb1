package telenor

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

func TestDefaultHTTPClient(t *testing.T) {
	cli, err := NewClient(Config{ClientID: "id", ClientSecret: "secret"})
	require.NoError(t, err)
	hc := cli.httpClient
	assert.Equal(t, 60*time.Second, hc.Timeout)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok, "a transport of its own, %T", hc.Transport)
	assert.NotSame(t, http.DefaultTransport, tr, "not the process-wide transport")
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 64)
	assert.GreaterOrEqual(t, tr.MaxIdleConns, 64)
	assert.True(t, tr.ForceAttemptHTTP2, "HTTP/2 kept")
	assert.NotNil(t, tr.Proxy, "proxy from the environment kept")
	assert.NotNil(t, tr.DialContext)
}

// 64 callers sharing the default client's pool reuse their connections:
// with net/http's default of 2 idle connections per host, almost every
// request opened a new one.
func TestDefaultHTTPClientReusesConnectionsUnderConcurrency(t *testing.T) {
	const callers, calls = 64, 20
	fake := telenortest.NewUnstartedServer()
	ws := newWireServer(t, fake.Handler().ServeHTTP)
	cli, err := NewClient(Config{ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret, BaseURL: ws.URL})
	require.NoError(t, err)
	t.Cleanup(cli.httpClient.CloseIdleConnections)
	s := cli.RestoreUserSession(&oauth2.Token{AccessToken: fake.IssueUserToken(), Expiry: time.Now().Add(time.Hour)})
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range calls {
				if _, err := s.UserInfo(t.Context()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d connections for %d requests", ws.conns.Load(), ws.requests.Load())
	assert.Less(t, ws.conns.Load(), int64(callers*calls/4), "connections are pooled, not opened per request")
}
