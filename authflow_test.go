package telenor

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// webApp is a minimal web backend doing "log in with your mobile" the way
// docs/lineauth.md shows: /login issues the state cookie and redirects to
// Telenor, /callback verifies it and calls HandleCallback.
type webApp struct {
	cli *Client
	sc  *StateCookie

	mu   sync.Mutex
	user *UserSession
	err  error
}

func (a *webApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/login":
		state, err := a.sc.Issue(w, r)
		if err != nil {
			http.Error(w, "cannot start login", http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, a.cli.AuthCodeURL(state), http.StatusSeeOther)
	case "/callback":
		state, err := a.sc.Verify(w, r)
		var user *UserSession
		if err == nil {
			user, err = a.cli.HandleCallback(r.Context(), r, state)
		}
		a.mu.Lock()
		a.user, a.err = user, err
		a.mu.Unlock()
		if err != nil {
			http.Error(w, "login failed", http.StatusForbidden)
			return
		}
		_, _ = w.Write([]byte("welcome"))
	default:
		http.NotFound(w, r)
	}
}

// outcome returns what the last callback produced.
func (a *webApp) outcome() (*UserSession, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.user, a.err
}

// flowEnv is a fake gateway, the web app on loopback and a browser with
// a cookie jar.
type flowEnv struct {
	srv     *telenortest.Server
	app     *webApp
	appURL  string
	browser *http.Client
}

func newFlowEnv(t *testing.T, consent telenortest.Consent) *flowEnv {
	t.Helper()
	app := &webApp{sc: newTestStateCookie(t)}
	appSrv := httptest.NewUnstartedServer(app) // the gateway must know the callback first
	t.Cleanup(appSrv.Close)
	callback := "http://" + appSrv.Listener.Addr().String() + "/callback"
	srv := telenortest.NewServer(telenortest.WithConsent(consent), telenortest.WithRedirectURL(callback))
	app.cli = newTestClient(t, srv, func(c *Config) { c.RedirectURL = callback })
	appSrv.Start()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &flowEnv{srv: srv, app: app, appURL: appSrv.URL, browser: &http.Client{Jar: jar, Transport: tr}}
}

// get makes the browser follow url to the end and returns the status.
func (e *flowEnv) get(t *testing.T, url string) int {
	t.Helper()
	resp, err := e.browser.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// callbackURL logs in but stops before the callback, returning its URL.
func (e *flowEnv) callbackURL(t *testing.T) *url.URL {
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
	e.get(t, e.appURL+"/login")
	require.NotNil(t, cb, "the gateway redirected to the callback")
	return cb
}

func TestFlowApprove(t *testing.T) {
	e := newFlowEnv(t, telenortest.ConsentAutoApprove)
	assert.Equal(t, http.StatusOK, e.get(t, e.appURL+"/login"))
	user, err := e.app.outcome()
	require.NoError(t, err)
	tok, err := user.Token(t.Context())
	require.NoError(t, err)
	info, ok := e.srv.LookupToken(tok.AccessToken)
	require.True(t, ok)
	assert.Equal(t, e.srv.Subscriber().MobileNumber, info.Subject)
	assert.Equal(t, 1, e.srv.Requests(telenortest.AuthPath))
	assert.Equal(t, 1, e.srv.TokenRequests())
}

func TestFlowDeny(t *testing.T) {
	e := newFlowEnv(t, telenortest.ConsentAutoDeny)
	assert.Equal(t, http.StatusForbidden, e.get(t, e.appURL+"/login"))
	_, err := e.app.outcome()
	assert.ErrorIs(t, err, ErrAccessDenied)
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "access_denied", ae.Code)
	assert.Equal(t, "The resource owner denied the request", ae.Description)
	assert.Zero(t, e.srv.TokenRequests())
}

func TestFlowBadStateNeverExchanges(t *testing.T) {
	tests := map[string]func(t *testing.T, e *flowEnv, cb *url.URL){
		"tampered state": func(t *testing.T, e *flowEnv, cb *url.URL) {
			q := cb.Query()
			q.Set("state", NewState())
			cb.RawQuery = q.Encode()
			e.get(t, cb.String())
		},
		"missing state": func(t *testing.T, e *flowEnv, cb *url.URL) {
			q := cb.Query()
			q.Del("state")
			cb.RawQuery = q.Encode()
			e.get(t, cb.String())
		},
		"missing cookie": func(t *testing.T, e *flowEnv, cb *url.URL) {
			jar, err := cookiejar.New(nil)
			require.NoError(t, err)
			e.browser.Jar = jar // another browser opens the callback
			e.get(t, cb.String())
		},
	}
	for name, attack := range tests {
		t.Run(name, func(t *testing.T) {
			e := newFlowEnv(t, telenortest.ConsentAutoApprove)
			attack(t, e, e.callbackURL(t))
			_, err := e.app.outcome()
			assert.ErrorIs(t, err, ErrStateMismatch)
			assert.Zero(t, e.srv.TokenRequests(), "nothing is exchanged")
		})
	}
}

// TestFlowForgedCallbackKeepsTheLogin: a page the user visits during the
// login makes the browser open /callback with a forged state (and the
// state cookie, SameSite=Lax allows it). The login in flight still ends
// well when Telenor's real callback arrives.
func TestFlowForgedCallbackKeepsTheLogin(t *testing.T) {
	e := newFlowEnv(t, telenortest.ConsentAutoApprove)
	cb := e.callbackURL(t)
	forged := *cb
	forged.RawQuery = url.Values{"code": {"attacker's"}, "state": {NewState()}}.Encode()
	assert.Equal(t, http.StatusForbidden, e.get(t, forged.String()))
	_, err := e.app.outcome()
	require.ErrorIs(t, err, ErrStateMismatch)

	assert.Equal(t, http.StatusOK, e.get(t, cb.String()), "the real callback still logs the user in")
	user, err := e.app.outcome()
	require.NoError(t, err)
	require.NotNil(t, user)
	assert.Equal(t, 1, e.srv.TokenRequests())
}

func TestFlowReusedStateNeverExchangesAgain(t *testing.T) {
	e := newFlowEnv(t, telenortest.ConsentAutoApprove)
	cb := e.callbackURL(t)
	stateCookies := e.browser.Jar.Cookies(cb)
	require.Len(t, stateCookies, 1)
	assert.Equal(t, http.StatusOK, e.get(t, cb.String()))
	assert.Equal(t, 1, e.srv.TokenRequests())

	// The same callback again: the browser's cookie is gone.
	assert.Equal(t, http.StatusForbidden, e.get(t, cb.String()))
	_, err := e.app.outcome()
	assert.ErrorIs(t, err, ErrStateMismatch)

	// A copy of the old cookie replayed with it.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, cb.String(), nil)
	require.NoError(t, err)
	req.AddCookie(stateCookies[0])
	resp, err := (&http.Client{Transport: e.browser.Transport}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	_, err = e.app.outcome()
	assert.ErrorIs(t, err, ErrStateMismatch)
	assert.Equal(t, 1, e.srv.TokenRequests(), "a reused state never reaches the token endpoint")
}

func TestFlowReplayedCode(t *testing.T) {
	e := newFlowEnv(t, telenortest.ConsentAutoApprove)
	cb := e.callbackURL(t)
	assert.Equal(t, http.StatusOK, e.get(t, cb.String()))
	_, err := e.app.cli.Exchange(t.Context(), cb.Query().Get("code"))
	var ae *AuthError
	require.True(t, errors.As(err, &ae))
	assert.ErrorIs(t, err, ErrInvalidGrant)
	assert.Equal(t, 2, e.srv.TokenRequests())
}
