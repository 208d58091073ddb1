package webapp_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
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
	assert.Contains(t, p.body, `id="login">Log in with your mobile</button>`)
	assert.Contains(t, p.body, `action="/login"`)
	assert.NotContains(t, p.body, `id="details"`, "nobody is logged in")
}

// TestPagesAreMobileFirst: every page, the problem pages too, has the
// viewport tag (without it a phone lays the page out 980 px wide and
// shrinks it) and the app's own stylesheet, served from the app.
func TestPagesAreMobileFirst(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	pages := map[string]page{"start page": e.do(t, http.MethodGet, "/")}
	pages["/me"] = e.do(t, http.MethodPost, "/login")
	pages["logged-in start page"] = e.do(t, http.MethodGet, "/")
	pages["problem page"] = e.do(t, http.MethodGet, "/callback?code=x&state=forged")
	for name, p := range pages {
		assert.Contains(t, p.body, `<meta name="viewport" content="width=device-width, initial-scale=1">`, name)
		assert.Contains(t, p.body, `<link rel="stylesheet" href="/style.css">`, name)
		assert.NotContains(t, p.body, "<style", name)
	}

	css := e.do(t, http.MethodGet, "/style.css")
	assert.Equal(t, http.StatusOK, css.status)
	assert.Equal(t, "text/css; charset=utf-8", css.header.Get("Content-Type"))
	assert.Contains(t, css.body, "min-height: 48px", "touch targets of at least 44 px")
	assert.Contains(t, pages["/me"].header.Get("Content-Security-Policy"), "style-src 'self'")
}

// TestStartPageShowsTheLoggedInState: once logged in, "/" says so and
// links to the details instead of offering to log in again.
func TestStartPageShowsTheLoggedInState(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	require.Equal(t, "/me", e.do(t, http.MethodPost, "/login").path)

	p := e.do(t, http.MethodGet, "/")
	assert.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, `<h1 id="title">You are logged in</h1>`)
	assert.Contains(t, p.body, `id="details" href="/me">See your details</a>`)
	assert.Contains(t, p.body, `id="logout">Log out</button>`)
	assert.NotContains(t, p.body, `id="login"`)
	assert.Equal(t, 1, e.gw.Requests(telenortest.UserInfoPath), "the start page calls no Telenor API")

	e.do(t, http.MethodPost, "/logout")
	p = e.do(t, http.MethodGet, "/")
	assert.Contains(t, p.body, `id="login"`)
	assert.NotContains(t, p.body, `id="details"`)
}

func TestApproveShowsTheSubscriber(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	p := e.do(t, http.MethodPost, "/login")
	sub := e.gw.Subscriber()
	assert.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, "/me", p.path)
	assert.Contains(t, p.body, `<dd id="name">Kari Nordmann</dd>`)
	require.Equal(t, "4790012345", sub.MobileNumber, "as Telenor sends it")
	assert.Contains(t, unescape(p.body), `<dd id="mobile-number" class="nowrap">+47 900 12 345</dd>`)
	assert.Contains(t, p.body, `<span id="device-model">`+sub.Device.Model+`</span>`)
	assert.Contains(t, p.body, `<span id="device-manufacturer">`+sub.Device.Manufacturer+`</span>`)
	for _, label := range []string{"HD Voice", "4G", "4G+", "VoLTE"} {
		assert.Contains(t, unescape(p.body), `<span data-capability="`+label+`" data-status="Yes">Yes</span>`)
	}
	assert.NotContains(t, p.body, "volte")
	assert.Contains(t, p.body, `id="logout">Log out</button>`)
	assert.Equal(t, 1, e.gw.TokenRequests())
}

func TestLoginByLinkWorksToo(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoApprove)
	p := e.do(t, http.MethodGet, "/login")
	assert.Equal(t, "/me", p.path)
	assert.Contains(t, unescape(p.body), "+47 900 12 345")
}

func TestUnknownCapabilityIsShownAsUnknown(t *testing.T) {
	sub := telenortest.DefaultSubscriber()
	sub.Device.Capabilities = map[string]bool{"lte": false}
	e := newEnv(t, telenortest.ConsentAutoApprove, telenortest.WithSubscriber(sub))
	p := e.do(t, http.MethodPost, "/login")
	assert.Contains(t, p.body, `<span data-capability="HD Voice" data-status="Unknown">Unknown</span>`)
	assert.Contains(t, p.body, `<span data-capability="4G" data-status="No">No</span>`)
}

// TestDenySaysSoInPlainWords: the user said no on Telenor's page; the app
// says what that means for them, without OAuth's words.
func TestDenySaysSoInPlainWords(t *testing.T) {
	e := newEnv(t, telenortest.ConsentAutoDeny)
	p := e.do(t, http.MethodPost, "/login")
	assert.Equal(t, http.StatusForbidden, p.status)
	assert.Equal(t, "/callback", p.path)
	assert.Contains(t, p.body, `<h1 id="title">Login cancelled</h1>`)
	assert.Contains(t, p.body, `<p id="problem">You chose not to share your information with this app, so you are not logged in. Nothing was shared.</p>`)
	assert.Contains(t, p.body, `id="try-again"`)
	for _, jargon := range []string{"access_denied", "resource owner", "denied the request", "OAuth", "authorization"} {
		assert.NotContains(t, strings.ToLower(p.body), strings.ToLower(jargon))
	}
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
