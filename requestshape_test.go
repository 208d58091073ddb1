package telenor

import (
	"cmp"
	"context"
	"io"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// Narrow request-shape tests: every typed method's method, path, query,
// form and headers, seen by httpmock's transport in place of a listener.
// What reaches a real wire is the business of the telenortest-based tests.

const (
	shapeBase      = "https://api.example.test"
	shapeClientID  = "shape-client"
	shapeSecret    = "shape-secret"
	shapeSysToken  = "sys-token"
	shapeUserToken = "user-token"
	shapeVerifier  = "shape-verifier-0123456789-0123456789-0123456789"
)

// sent is one request as the mock transport received it.
type sent struct {
	method, path string
	query, form  url.Values
	header       http.Header
}

// mockAPI is a Client whose HTTPClient is httpmock's transport, with the
// requests it sent, in order.
type mockAPI struct {
	cli *Client
	mt  *httpmock.MockTransport

	mu   sync.Mutex
	reqs []sent
}

// setup returns a Client on a fresh mock transport that answers the
// password grant with shapeSysToken. Retries are off: one call, one
// request.
func setup(t *testing.T, edit ...func(*Config)) *mockAPI {
	t.Helper()
	m := &mockAPI{mt: httpmock.NewMockTransport()}
	cfg := Config{
		ClientID:     shapeClientID,
		ClientSecret: shapeSecret,
		BaseURL:      shapeBase,
		HTTPClient:   &http.Client{Transport: m.mt},
		Retry:        RetryPolicy{MaxAttempts: 1},
	}
	for _, e := range edit {
		e(&cfg)
	}
	cli, err := NewClient(cfg)
	require.NoError(t, err)
	m.cli = cli
	m.on(http.MethodPost, "/oauth/token",
		`{"access_token":"`+shapeSysToken+`","token_type":"Bearer","expires_in":3600}`)
	return m
}

// on answers method and path with 200 and bodies in turn (the last one
// again when they run out), recording every request.
func (m *mockAPI) on(method, path string, bodies ...string) {
	n := 0
	m.mt.RegisterResponder(method, shapeBase+path, func(r *http.Request) (*http.Response, error) {
		s := sent{method: r.Method, path: r.URL.Path, query: r.URL.Query(), header: r.Header.Clone()}
		if r.Body != nil {
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
			}
			if s.form, err = url.ParseQuery(string(b)); err != nil {
				return nil, err
			}
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		m.reqs = append(m.reqs, s)
		body := bodies[min(n, len(bodies)-1)]
		n++
		return httpmock.NewStringResponse(http.StatusOK, body), nil
	})
}

// sentTo returns the recorded requests to path.
func (m *mockAPI) sentTo(path string) []sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []sent
	for _, s := range m.reqs {
		if s.path == path {
			out = append(out, s)
		}
	}
	return out
}

// assertAPIHeaders checks what every typed API call sends.
func assertAPIHeaders(t *testing.T, s sent, token, accept string) {
	t.Helper()
	assert.Equal(t, "Bearer "+token, s.header.Get("Authorization"), "Authorization")
	assert.Equal(t, accept, s.header.Get("Accept"), "Accept")
	assertUserAgent(t, s)
}

// assertUserAgent checks that s names the SDK, so Telenor can tell its
// traffic apart.
func assertUserAgent(t *testing.T, s sent) {
	t.Helper()
	assert.True(t, strings.HasPrefix(s.header.Get("User-Agent"), "telenor-go/"),
		"User-Agent %q lacks the telenor-go/ prefix", s.header.Get("User-Agent"))
}

// drain ranges over a list iterator, returning its first error.
func drain[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestRequestShapeAPI(t *testing.T) {
	const jsonAccept = "application/json"
	page := func(size int) string { return "[" + strings.Repeat("{},", size-1) + "{}]" }
	for _, tc := range []struct {
		name    string
		path    string
		replies []string
		call    func(context.Context, *SystemSession, *UserSession) error
		queries []url.Values // one per request, in order
		accept  string       // default application/json
		user    bool         // the call is the UserSession's
	}{
		{name: "Organizations", path: "/organizations/v1/organizations", replies: []string{`[]`},
			call: func(ctx context.Context, s *SystemSession, _ *UserSession) error {
				_, err := s.Organizations(ctx)
				return err
			}, queries: []url.Values{{}}},
		{name: "Agreements", path: "/corporate-agreements/v2/agreements", replies: []string{`[]`},
			call: func(ctx context.Context, s *SystemSession, _ *UserSession) error {
				_, err := s.Agreements(ctx)
				return err
			}, queries: []url.Values{{}}},
		{name: "Accounts default page size", path: "/corporate-accounts/v2/accounts", replies: []string{`[]`},
			call: func(ctx context.Context, s *SystemSession, _ *UserSession) error {
				return drain(s.Accounts(ctx, AccountsOptions{}))
			}, queries: []url.Values{{"page": {"0"}, "pageSize": {"100"}}}},
		{name: "Accounts two pages", path: "/corporate-accounts/v2/accounts", replies: []string{page(2), page(1)},
			call: func(ctx context.Context, s *SystemSession, _ *UserSession) error {
				return drain(s.Accounts(ctx, AccountsOptions{PageSize: 2}))
			}, queries: []url.Values{{"page": {"0"}, "pageSize": {"2"}}, {"page": {"1"}, "pageSize": {"2"}}}},
		{name: "MobileSubscriptions productId ascending", path: "/corporate-mobile-subscriptions/v2/mobile-subscriptions",
			replies: []string{page(3), `[]`},
			call: func(ctx context.Context, s *SystemSession, _ *UserSession) error {
				return drain(s.MobileSubscriptions(ctx, SubscriptionsOptions{ProductID: "50795", Order: SortAscending, PageSize: 3}))
			}, queries: []url.Values{
				{"productId": {"50795"}, "ascending": {"true"}, "page": {"0"}, "pageSize": {"3"}},
				{"productId": {"50795"}, "ascending": {"true"}, "page": {"1"}, "pageSize": {"3"}},
			}},
		{name: "MobileSubscriptions since descending", path: "/corporate-mobile-subscriptions/v2/mobile-subscriptions",
			replies: []string{`[]`},
			call: func(ctx context.Context, s *SystemSession, _ *UserSession) error {
				return drain(s.MobileSubscriptions(ctx, SubscriptionsOptions{Since: 5*time.Hour + time.Millisecond, Order: SortDescending}))
			}, queries: []url.Values{{"since": {"18001"}, "ascending": {"false"}, "page": {"0"}, "pageSize": {"100"}}}},
		{name: "SystemSession.Logout", path: "/oauth/v2/logout", replies: []string{"OK!"},
			call: func(ctx context.Context, s *SystemSession, _ *UserSession) error {
				if _, err := s.Token(ctx); err != nil {
					return err
				}
				return s.Logout(ctx)
			}, queries: []url.Values{{}}, accept: "text/plain, application/json"},
		{name: "UserInfo", user: true, path: "/user-info/v1/users", replies: []string{`{"mobileNumber":"4790012345"}`},
			call: func(ctx context.Context, _ *SystemSession, u *UserSession) error {
				_, err := u.UserInfo(ctx)
				return err
			}, queries: []url.Values{{}}},
		{name: "DeviceInfo", user: true, path: "/mobile-device-info/v1/device", replies: []string{`{"model":"iPhone 7"}`},
			call: func(ctx context.Context, _ *SystemSession, u *UserSession) error {
				_, err := u.DeviceInfo(ctx)
				return err
			}, queries: []url.Values{{}}},
		{name: "UserSession.Logout", user: true, path: "/oauth/v2/logout", replies: []string{"OK!"},
			call: func(ctx context.Context, _ *SystemSession, u *UserSession) error {
				return u.Logout(ctx)
			}, queries: []url.Values{{}}, accept: "text/plain, application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := setup(t)
			m.on(http.MethodGet, tc.path, tc.replies...)
			sys := m.cli.PasswordGrant("user", "pass")
			user := m.cli.RestoreUserSession(&oauth2.Token{AccessToken: shapeUserToken, Expiry: time.Now().Add(time.Hour)})
			require.NoError(t, tc.call(t.Context(), sys, user))

			token := shapeSysToken
			if tc.user {
				token = shapeUserToken
			}
			got := m.sentTo(tc.path)
			require.Len(t, got, len(tc.queries))
			for i, s := range got {
				assert.Equal(t, http.MethodGet, s.method)
				assert.Equal(t, tc.queries[i], s.query, "query of request %d", i)
				assertAPIHeaders(t, s, token, cmp.Or(tc.accept, jsonAccept))
			}
		})
	}
}

// assertTokenRequest checks a token endpoint request: a POST of form with
// the app's credentials as HTTP Basic.
func assertTokenRequest(t *testing.T, s sent, form url.Values) {
	t.Helper()
	assert.Equal(t, http.MethodPost, s.method)
	assert.Empty(t, s.query, "query")
	assert.Equal(t, form, s.form, "form")
	r := http.Request{Header: s.header}
	id, secret, ok := r.BasicAuth()
	assert.True(t, ok, "no HTTP Basic Authorization")
	assert.Equal(t, shapeClientID, id, "Basic user")
	assert.Equal(t, shapeSecret, secret, "Basic password")
	assert.Equal(t, "application/x-www-form-urlencoded", s.header.Get("Content-Type"), "Content-Type")
	assert.Equal(t, "application/json", s.header.Get("Accept"), "Accept") // telenor-api.md 2.3
	assertUserAgent(t, s)
}

func TestRequestShapePasswordGrant(t *testing.T) {
	m := setup(t)
	_, err := m.cli.PasswordGrant("sys-user", "sys-pass").Token(t.Context())
	require.NoError(t, err)
	got := m.sentTo("/oauth/token")
	require.Len(t, got, 1)
	assertTokenRequest(t, got[0], url.Values{
		"grant_type": {"password"}, "username": {"sys-user"}, "password": {"sys-pass"},
	})
}

func TestRequestShapeExchange(t *testing.T) {
	for _, tc := range []struct {
		name     string
		redirect string
		opts     []AuthCodeOption
		form     url.Values
	}{
		{name: "plain", opts: []AuthCodeOption{WithScope("openid")},
			form: url.Values{"grant_type": {"authorization_code"}, "code": {"the-code"}}},
		{name: "redirect_uri", redirect: "https://app.example.test/callback",
			form: url.Values{"grant_type": {"authorization_code"}, "code": {"the-code"},
				"redirect_uri": {"https://app.example.test/callback"}}},
		{name: "PKCE", opts: []AuthCodeOption{WithPKCE(shapeVerifier)},
			form: url.Values{"grant_type": {"authorization_code"}, "code": {"the-code"},
				"code_verifier": {shapeVerifier}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := setup(t, func(c *Config) { c.RedirectURL = tc.redirect })
			m.on(http.MethodPost, "/oauth/v2/token",
				`{"access_token":"`+shapeUserToken+`","token_type":"Bearer","expires_in":3600}`)
			_, err := m.cli.Exchange(t.Context(), "the-code", tc.opts...)
			require.NoError(t, err)
			got := m.sentTo("/oauth/v2/token")
			require.Len(t, got, 1)
			assertTokenRequest(t, got[0], tc.form)
		})
	}
}

func TestRequestShapeAuthCodeURL(t *testing.T) {
	base := url.Values{"client_id": {shapeClientID}, "state": {"the-state"}, "response_type": {"code"}}
	with := func(extra url.Values) url.Values {
		q := maps.Clone(base)
		for k, v := range extra {
			q[k] = v
		}
		return q
	}
	for _, tc := range []struct {
		name     string
		redirect string
		opts     []AuthCodeOption
		query    url.Values
	}{
		{name: "plain", query: base},
		{name: "redirect_uri", redirect: "https://app.example.test/callback",
			query: with(url.Values{"redirect_uri": {"https://app.example.test/callback"}})},
		{name: "scope", opts: []AuthCodeOption{WithScope("openid", " ", "profile")},
			query: with(url.Values{"scope": {"openid profile"}})},
		{name: "PKCE", opts: []AuthCodeOption{WithPKCE(shapeVerifier)},
			query: with(url.Values{"code_challenge": {oauth2.S256ChallengeFromVerifier(shapeVerifier)},
				"code_challenge_method": {"S256"}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := setup(t, func(c *Config) { c.RedirectURL = tc.redirect })
			u, err := url.Parse(m.cli.AuthCodeURL("the-state", tc.opts...))
			require.NoError(t, err)
			assert.Equal(t, shapeBase+"/oauth/v2/authorize", u.Scheme+"://"+u.Host+u.Path)
			assert.Equal(t, tc.query, u.Query())
			assert.Zero(t, m.mt.GetTotalCallCount(), "AuthCodeURL sent a request")
		})
	}
}

func TestRequestShapeInvalidOptionsSendNothing(t *testing.T) {
	for name, opts := range map[string]SubscriptionsOptions{
		"productId and since":  {ProductID: "50795", Since: time.Hour},
		"productId not digits": {ProductID: "50795&x=1"},
		"negative since":       {Since: -time.Second},
		"unknown order":        {Order: SortDescending + 1},
		"page size too large":  {PageSize: MaxPageSize + 1},
		"negative page size":   {PageSize: -1},
	} {
		t.Run(name, func(t *testing.T) {
			m := setup(t)
			err := drain(m.cli.PasswordGrant("u", "p").MobileSubscriptions(t.Context(), opts))
			require.ErrorIs(t, err, ErrInvalidConfig)
			assert.Zero(t, m.mt.GetTotalCallCount(), "requests sent")
		})
	}
}
