package webapp_test

import (
	"crypto/rand"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/examples/linkauth/webapp"
	"github.com/telenor-go/telenor/telenortest"
)

// env is the fake gateway, the web app on loopback and a browser with a
// cookie jar, wired the way the browser test and `linkauth -fake` do it.
type env struct {
	gw      *telenortest.Server
	appURL  string
	browser *http.Client
}

// newEnv starts the app and a fake gateway whose consent step answers as
// consent says. The app's listener comes first: the gateway must know the
// registered callback.
func newEnv(t *testing.T, consent telenortest.Consent, opts ...telenortest.Option) *env {
	t.Helper()
	return newEnvConfig(t, webapp.Config{}, consent, opts...)
}

// newEnvConfig is newEnv with the app's configuration cfg (its Client and
// StateKey are filled in).
func newEnvConfig(t *testing.T, cfg webapp.Config, consent telenortest.Consent, opts ...telenortest.Option) *env {
	t.Helper()
	app := httptest.NewUnstartedServer(nil)
	t.Cleanup(app.Close)
	appURL := "http://" + app.Listener.Addr().String()
	opts = append(opts, telenortest.WithConsent(consent), telenortest.WithRedirectURL(appURL+"/callback"))
	gw := telenortest.NewServer(opts...)
	t.Cleanup(gw.Close)
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: gw.URL, HTTPClient: gw.Client(),
	})
	require.NoError(t, err)
	cfg.Client, cfg.StateKey = cli, []byte(rand.Text()+rand.Text())
	h, err := webapp.New(cfg)
	require.NoError(t, err)
	app.Config.Handler = h
	app.Start()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &env{gw: gw, appURL: appURL, browser: &http.Client{Jar: jar, Transport: app.Client().Transport}}
}

// page is what the browser ended on.
type page struct {
	status int
	path   string
	header http.Header
	body   string
}

// do makes the browser send method to path (or a full URL) and follow
// redirects to the end.
func (e *env) do(t *testing.T, method, target string) page {
	t.Helper()
	if strings.HasPrefix(target, "/") {
		target = e.appURL + target
	}
	req, err := http.NewRequestWithContext(t.Context(), method, target, nil)
	require.NoError(t, err)
	resp, err := e.browser.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return page{status: resp.StatusCode, path: resp.Request.URL.Path, header: resp.Header, body: string(body)}
}

// callbackURL starts a login but stops the browser before the callback,
// returning the callback URL the gateway redirected to.
func (e *env) callbackURL(t *testing.T) *url.URL {
	t.Helper()
	var cb *url.URL
	e.browser.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		if r.URL.Path == "/callback" {
			cb = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}
	defer func() { e.browser.CheckRedirect = nil }()
	e.do(t, http.MethodPost, "/login")
	require.NotNil(t, cb, "the gateway redirected to the callback")
	return cb
}

// setCookies sends method to path (or a full URL) with the browser's
// cookies, follows no redirect, and returns the cookies the app set.
func (e *env) setCookies(t *testing.T, method, target string) []*http.Cookie {
	t.Helper()
	if strings.HasPrefix(target, "/") {
		target = e.appURL + target
	}
	req, err := http.NewRequestWithContext(t.Context(), method, target, nil)
	require.NoError(t, err)
	c := *e.browser
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.Cookies()
}

// unescape undoes html/template's escaping ("+" is written "&#43;"), so
// that a test can look for text as the browser shows it.
func unescape(body string) string { return html.UnescapeString(body) }
