package webapp_test

import (
	"crypto/rand"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/examples/linkauth/webapp"
	"github.com/telenor-go/telenor/internal/redistest"
	"github.com/telenor-go/telenor/redisstore"
	"github.com/telenor-go/telenor/telenortest"
)

// startInstances starts n instances of the app sharing one real Redis
// and one state key, as `linkauth -redis` behind a load balancer, with
// one fake gateway that redirects to the first instance's callback.
func startInstances(t *testing.T, n int) (*telenortest.Server, *redis.Client, []string) {
	rs := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: rs.Sock})
	t.Cleanup(func() { rdb.Close() })
	key := []byte(rand.Text() + rand.Text())
	var apps []*httptest.Server
	var urls []string
	for range n {
		app := httptest.NewUnstartedServer(nil)
		t.Cleanup(app.Close)
		apps = append(apps, app)
		urls = append(urls, "http://"+app.Listener.Addr().String())
	}
	gw := telenortest.NewServer(telenortest.WithConsent(telenortest.ConsentAutoApprove),
		telenortest.WithRedirectURL(urls[0]+"/callback"))
	t.Cleanup(gw.Close)
	for _, app := range apps {
		cli, err := telenor.NewClient(telenor.Config{
			ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: gw.URL, HTTPClient: gw.Client(),
		})
		require.NoError(t, err)
		guard, err := redisstore.New(rdb, redisstore.Options{Keys: [][]byte{key[:redisstore.KeySize]}})
		require.NoError(t, err)
		h, err := webapp.New(webapp.Config{Client: cli, StateKey: key,
			SessionStore: goredisstore.NewWithPrefix(rdb, "linkauth:session:"), ReplayGuard: guard})
		require.NoError(t, err)
		app.Config.Handler = h
		app.Start()
	}
	return gw, rdb, urls
}

// visit sends method to target with browser and follows redirects.
func visit(t *testing.T, browser *http.Client, method, target string) page {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, target, nil)
	require.NoError(t, err)
	resp, err := browser.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return page{status: resp.StatusCode, path: resp.Request.URL.Path, body: string(body)}
}

// Two instances share logged-in users through Redis: a login at one is
// served by the other, a logout at one is seen by the other, and a state
// cookie replayed at the other is refused. Cookies are per host, not per
// port, so one browser's cookies reach both instances on loopback.
func TestInstancesShareUsersThroughRedis(t *testing.T) {
	gw, rdb, apps := startInstances(t, 2)
	a, b := apps[0], apps[1]
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	var cb *url.URL
	browser := &http.Client{Jar: jar, Transport: tr, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Path == "/callback" && cb == nil {
			cb = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	visit(t, browser, http.MethodPost, a+"/login")
	require.NotNil(t, cb, "the gateway redirected to the callback")
	appURL, _ := url.Parse(a)
	stateCookies := jar.Cookies(appURL) // what an attacker copied

	p := visit(t, browser, http.MethodGet, cb.String())
	require.Equal(t, "/me", p.path, "logged in at the first instance")
	p = visit(t, browser, http.MethodGet, b+"/me")
	assert.Equal(t, "/me", p.path, "the second instance serves the user")
	assert.Contains(t, p.body, `id="name">`+gw.Subscriber().FullName(), "the user's own details")

	replay, err := http.NewRequestWithContext(t.Context(), http.MethodGet, b+"/callback?"+cb.RawQuery, nil)
	require.NoError(t, err)
	for _, c := range stateCookies {
		replay.AddCookie(c)
	}
	resp, err := (&http.Client{Transport: tr}).Do(replay)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), "Login could not be verified", "the replayed state is refused at the other instance")
	assert.Equal(t, 1, gw.TokenRequests(), "nothing is exchanged for the replay")

	assert.Equal(t, "/", visit(t, browser, http.MethodPost, b+"/logout").path)
	p = visit(t, browser, http.MethodGet, a+"/me")
	assert.Equal(t, "/", p.path, "logged out at the second instance, so at the first too")

	keys, err := rdb.Keys(t.Context(), "*").Result()
	require.NoError(t, err)
	for _, k := range keys {
		v, _ := rdb.Get(t.Context(), k).Result()
		assert.NotContains(t, v, "access_token", k)
		assert.False(t, strings.Contains(k, cb.Query().Get("state")), k)
	}
}
