package telenor

import (
	"github.com/telenor-go/telenor/internal/endpoint"

	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// recorder is another host: it records the Authorization headers it sees
// and answers with a user-info body.
type recorder struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.auths = append(r.auths, req.Header.Get("Authorization"))
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"mobileNumber":"4799999999"}`))
	}))
	t.Cleanup(r.Close)
	return r
}

// localhostURL names r by "localhost": another host than the fake's
// 127.0.0.1, though both are loopback.
func (r *recorder) localhostURL() string {
	return strings.Replace(r.URL, "127.0.0.1", "localhost", 1)
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.auths...)
}

func TestNoBearerOnCrossHostRedirect(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	other := newRecorder(t)
	s := userSession(cli, srv)

	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Redirect: other.localhostURL() + "/typed"})
	info, err := s.UserInfo(t.Context())
	require.NoError(t, err, "the redirect is followed")
	assert.Equal(t, "4799999999", info.MobileNumber)

	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Redirect: other.localhostURL() + "/raw", Status: 307})
	resp, err := s.HTTPClient().Get(srv.URL + telenortest.UserInfoPath)
	require.NoError(t, err)
	resp.Body.Close()

	resp, err = s.HTTPClient().Get(other.localhostURL() + "/direct")
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, []string{"", "", ""}, other.seen(), "the other host never sees the token")
}

func TestCallerAuthorizationStrippedOnRedirectOffAPIHost(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	other := newRecorder(t)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Redirect: other.URL + "/same-ip-other-port"})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+telenortest.UserInfoPath, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer callers-own")
	resp, err := userSession(cli, srv).HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []string{""}, other.seen(), "net/http keeps it for the same host name; the SDK does not")
}

func TestBearerKeptOnSameHostRedirect(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Redirect: srv.URL + telenortest.DeviceInfoPath})
	info, err := userSession(cli, srv).UserInfo(t.Context())
	require.NoError(t, err, "the device endpoint accepted the Bearer after the redirect")
	assert.Contains(t, info.Unknown(), "tac")
}

func TestHTTPClientSetsHeaders(t *testing.T) {
	var got http.Header
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer api.Close()
	cli, err := NewClient(Config{ClientID: "id", ClientSecret: "secret", BaseURL: api.URL})
	require.NoError(t, err)
	s := cli.RestoreUserSession(&oauth2.Token{AccessToken: "user-token"})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, api.URL+"/x", nil)
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "Bearer user-token", got.Get("Authorization"))
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Equal(t, "telenor-go/"+Version, got.Get("User-Agent"))
	assert.Empty(t, req.Header, "the caller's request is not modified")
}

func TestIsAPIURL(t *testing.T) {
	cli, err := NewClient(Config{ClientID: "id", ClientSecret: "secret"})
	require.NoError(t, err)
	for raw, want := range map[string]bool{
		"https://api.telenor.no/x":        true,
		"https://API.Telenor.NO/x":        true,
		"https://api.telenor.no:443/x":    true,
		"http://api.telenor.no/x":         false,
		"https://api.telenor.no:8443/x":   false,
		"https://evil.api.telenor.no/x":   false,
		"https://api.telenor.no.evil/x":   false,
		"https://user@api.telenor.no.x/y": false,
	} {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		assert.Equal(t, want, endpoint.SameOrigin(u, cli.apiBase), raw)
	}
	assert.False(t, endpoint.SameOrigin(nil, cli.apiBase))
}
