package webapp_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/examples/linkauth/webapp"
	"github.com/telenor-go/telenor/telenortest"
)

func TestStartPageHasTheLoginButton(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	p := e.do(t, http.MethodGet, "/")
	assert.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, `<button type="submit" id="login">Log in with your mobile</button>`)
	assert.Contains(t, p.body, `action="/login"`)
}

func TestApproveShowsTheSubscriber(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	p := e.do(t, http.MethodPost, "/login")
	sub := e.gw.Subscriber()
	assert.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, "/me", p.path)
	assert.Contains(t, p.body, `<dd id="name">Kari Nordmann</dd>`)
	assert.Contains(t, p.body, `<dd id="mobile-number">`+sub.MobileNumber+`</dd>`)
	assert.Contains(t, p.body, `<span id="device-model">`+sub.Device.Model+`</span>`)
	assert.Contains(t, p.body, `<span id="device-manufacturer">`+sub.Device.Manufacturer+`</span>`)
	assert.Contains(t, p.body, `<dd data-capability="4G (LTE)">yes</dd>`)
	assert.Contains(t, p.body, `id="logout">Log out</button>`)
	assert.Equal(t, 1, e.gw.TokenRequests())
}

func TestLoginByLinkWorksToo(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	p := e.do(t, http.MethodGet, "/login")
	assert.Equal(t, "/me", p.path)
	assert.Contains(t, p.body, e.gw.Subscriber().MobileNumber)
}

func TestUnknownCapabilityIsShownAsUnknown(t *testing.T) {
	sub := telenortest.DefaultSubscriber()
	sub.Device.Capabilities = map[string]bool{"lte": false}
	e := newEnv(t, telenortest.ConsentAutoApprove, telenortest.WithSubscriber(sub))
	p := e.do(t, http.MethodPost, "/login")
	assert.Contains(t, p.body, `<dd data-capability="HD Voice">unknown</dd>`)
	assert.Contains(t, p.body, `<dd data-capability="4G (LTE)">no</dd>`)
}

func TestDenyShowsTelenorsDescription(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoDeny)
	p := e.do(t, http.MethodPost, "/login")
	assert.Equal(t, http.StatusForbidden, p.status)
	assert.Equal(t, "/callback", p.path)
	assert.Contains(t, p.body, `<h1 id="title">Login cancelled</h1>`)
	assert.Contains(t, p.body, `<q id="telenor-description">The resource owner denied the request</q>`)
	assert.Zero(t, e.gw.TokenRequests(), "no token was requested")
	assert.Equal(t, "/", e.do(t, http.MethodGet, "/me").path, "not logged in")
}

func TestBadStateShowsAClearPageAndExchangesNothing(t *testing.T) {
	tests := map[string]func(t *testing.T, e *env, cb *url.URL){
		"tampered state": func(t *testing.T, e *env, cb *url.URL) {
			q := cb.Query()
			q.Set("state", telenor.NewState())
			cb.RawQuery = q.Encode()
		},
		"missing state": func(t *testing.T, e *env, cb *url.URL) {
			q := cb.Query()
			q.Del("state")
			cb.RawQuery = q.Encode()
		},
		"another browser": func(t *testing.T, e *env, cb *url.URL) {
			jar, err := cookiejar.New(nil)
			require.NoError(t, err)
			e.browser.Jar = jar
		},
	}
	for name, attack := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, telenortest.ConsentAutoApprove)
			cb := e.callbackURL(t)
			attack(t, e, cb)
			p := e.do(t, http.MethodGet, cb.String())
			assert.Equal(t, http.StatusBadRequest, p.status)
			assert.Contains(t, p.body, `<h1 id="title">Login could not be verified</h1>`)
			assert.Contains(t, p.body, `id="try-again"`)
			assert.Zero(t, e.gw.TokenRequests(), "nothing is exchanged")
		})
	}
}

func TestReplayedCallbackIsRefused(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	cb := e.callbackURL(t)
	assert.Equal(t, "/me", e.do(t, http.MethodGet, cb.String()).path)
	p := e.do(t, http.MethodGet, cb.String())
	assert.Equal(t, http.StatusBadRequest, p.status)
	assert.Equal(t, 1, e.gw.TokenRequests())
}

func TestLogoutForgetsTheUser(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	require.Equal(t, "/me", e.do(t, http.MethodPost, "/login").path)

	p := e.do(t, http.MethodPost, "/logout")
	assert.Equal(t, "/", p.path)
	assert.Contains(t, p.body, "Log in with your mobile")
	assert.Equal(t, 1, e.gw.Requests(telenortest.LogoutPath), "the token was logged out at Telenor")

	p = e.do(t, http.MethodGet, "/me")
	assert.Equal(t, "/", p.path, "after logout /me goes to the start page")
	assert.NotContains(t, p.body, e.gw.Subscriber().MobileNumber)
	assert.NotContains(t, p.body, "Nordmann")
}

func TestMeWithoutSessionGoesHome(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	p := e.do(t, http.MethodGet, "/me")
	assert.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, "/", p.path)
}

func TestRevokedTokenSendsTheUserHome(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	require.Equal(t, "/me", e.do(t, http.MethodPost, "/login").path)
	e.gw.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: http.StatusUnauthorized, Code: 40106}) // 40106: token expired
	p := e.do(t, http.MethodGet, "/me")
	assert.Equal(t, "/", p.path)
	assert.NotContains(t, p.body, "Nordmann")
}

func TestPagesEscapeTelenorsData(t *testing.T) {
	sub := telenortest.DefaultSubscriber()
	sub.GivenName = `<script>alert(1)</script>`
	e := newEnv(t, telenortest.ConsentAutoApprove, telenortest.WithSubscriber(sub))
	p := e.do(t, http.MethodPost, "/login")
	assert.NotContains(t, p.body, "<script>")
	assert.Contains(t, p.body, "&lt;script&gt;")
}

func TestWrongMethodsAreRefused(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	assert.Equal(t, http.StatusMethodNotAllowed, e.do(t, http.MethodGet, "/logout").status)
	assert.Equal(t, http.StatusNotFound, e.do(t, http.MethodGet, "/nope").status)
}

func TestNewChecksConfig(t *testing.T) {
	_, err := webapp.New(webapp.Config{StateKey: make([]byte, 32)})
	assert.Error(t, err)
	cli, err := telenor.NewClient(telenor.Config{ClientID: "id", ClientSecret: "secret"})
	require.NoError(t, err)
	_, err = webapp.New(webapp.Config{Client: cli, StateKey: []byte("short")})
	assert.ErrorIs(t, err, telenor.ErrInvalidConfig)
}
