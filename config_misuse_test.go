package telenor_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

// Misconfigurations a user makes, tried from outside the package.

// printAll writes v with every verb, as JSON and through slog.
func printAll(v any) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v %+v %#v %s %q\n", v, v, v, v, v)
	j, _ := json.Marshal(v)
	b.Write(j)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("cfg", "v", v)
	slog.New(slog.NewTextHandler(&b, nil)).Info("cfg", "v", v)
	return b.String()
}

// A password put into a URL is refused, and neither the error nor the
// printed, encoded or logged Config shows it, however malformed the URL.
func TestURLUserInfoNeverShown(t *testing.T) {
	const pw = "pw-LEAK-3"
	urls := []string{
		"https://u:" + pw + "@api.telenor.no",
		"ftp://u:" + pw + "@api.telenor.no", // wrong scheme too
		"u:" + pw + "@api.telenor.no",       // no scheme
		"//u:" + pw + "@api.telenor.no",     // no scheme either
		"https://u:" + pw + "@bad host",     // unparsable
		"https://u:" + pw + "@api.telenor.no/%zz",
		"https://u:" + pw + "@[::1",
		"https://u:pa55/" + pw + "@api.telenor.no", // a '/' ends the host early: "invalid port"
		"https://api.telenor.no/cb#" + pw,          // a fragment
		"https://u:" + pw + "#x@api.telenor.no",    // a '#' in the password
		"https://u:" + pw + "?x@api.telenor.no",    // a '?' in the password
	}
	for _, raw := range urls {
		for field, edit := range map[string]func(*telenor.Config){
			"BaseURL":           func(c *telenor.Config) { c.BaseURL = raw },
			"Endpoint.TokenURL": func(c *telenor.Config) { c.Endpoint.TokenURL = raw },
			"RedirectURL":       func(c *telenor.Config) { c.RedirectURL = raw },
		} {
			cfg := telenor.Config{ClientID: "id", ClientSecret: "s"}
			edit(&cfg)
			cli, err := telenor.NewClient(cfg)
			require.ErrorIs(t, err, telenor.ErrInvalidConfig, "%s %s", field, raw)
			assert.Nil(t, cli)
			assert.Contains(t, err.Error(), field)
			assert.NotContains(t, err.Error(), pw, field)
			assert.NotContains(t, printAll(cfg)+printAll(&cfg), pw, field)
		}
	}
}

// White space or a control character at either end of a credential (a
// newline copied from a console) is refused by NewClient, instead of
// being sent and rejected as a wrong secret.
func TestNewClientRefusesPaddedCredentials(t *testing.T) {
	for _, tt := range []struct{ field, id, secret string }{
		{"ClientID", "app-id\n", "secret-Q"},
		{"ClientID", " app-id", "secret-Q"},
		{"ClientSecret", "app-id", "secret-Q\n"},
		{"ClientSecret", "app-id", "\tsecret-Q"},
		{"ClientSecret", "app-id", "secret-Q\r\n"},
		{"ClientSecret", "app-id", "secret-Q\x00"},
		{"ClientSecret", "app-id", "  "},
	} {
		_, err := telenor.NewClient(telenor.Config{ClientID: tt.id, ClientSecret: tt.secret})
		require.ErrorIs(t, err, telenor.ErrInvalidConfig, "%q %q", tt.id, tt.secret)
		assert.Contains(t, err.Error(), tt.field)
		assert.NotContains(t, err.Error(), "secret-Q")
	}
}

// Credentials with ':', '%', '+', spaces and non-ASCII reach the token
// endpoint exactly: the client id and secret form-encoded inside HTTP Basic
// (RFC 6749 §2.3.1, as golang.org/x/oauth2 sends them), the username and
// password in the form body.
func TestOddCredentialsReachTheWireExactly(t *testing.T) {
	const id, secret = "app:1 Æ+", "p%2B+ &=:ø"
	const username, password = "u:s%+", "p%+ &=ø"
	var mu sync.Mutex
	var basic, form string
	srv := telenortest.NewUnstartedServer(telenortest.WithClient(id, secret), telenortest.WithSystemUser(username, password))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		basic, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Basic ")
		_ = r.ParseForm()
		form = r.PostForm.Get("username") + "\n" + r.PostForm.Get("password")
		mu.Unlock()
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() { ts.Close(); srv.Close() })
	cli, err := telenor.NewClient(telenor.Config{ClientID: id, ClientSecret: secret, BaseURL: ts.URL})
	require.NoError(t, err)
	_, err = cli.PasswordGrant(username, password).Token(t.Context())
	require.NoError(t, err, "the fake accepts them")
	assert.Equal(t, 1, srv.TokenRequests())

	mu.Lock()
	defer mu.Unlock()
	raw, err := base64.StdEncoding.DecodeString(basic)
	require.NoError(t, err)
	assert.Equal(t, url.QueryEscape(id)+":"+url.QueryEscape(secret), string(raw), "form-encoded, then Basic")
	gotID, gotSecret, _ := strings.Cut(string(raw), ":") // the escaped id holds no ':'
	gotID, _ = url.QueryUnescape(gotID)
	gotSecret, _ = url.QueryUnescape(gotSecret)
	assert.Equal(t, []string{id, secret}, []string{gotID, gotSecret})
	assert.Equal(t, username+"\n"+password, form)
}

// Negative retry values are refused by name, as a negative TokenTimeout
// is, instead of silently meaning the defaults.
func TestNewClientRefusesNegativeRetryPolicy(t *testing.T) {
	for field, p := range map[string]telenor.RetryPolicy{
		"Retry.MaxAttempts":   {MaxAttempts: -1},
		"Retry.BaseDelay":     {BaseDelay: -time.Second},
		"Retry.MaxDelay":      {MaxDelay: -1},
		"Retry.MaxRetryAfter": {MaxRetryAfter: -1},
	} {
		_, err := telenor.NewClient(telenor.Config{ClientID: "id", ClientSecret: "s", Retry: p})
		require.ErrorIs(t, err, telenor.ErrInvalidConfig, field)
		assert.Contains(t, err.Error(), field)
	}
}

// memConfig is a Config that reaches srv in process, for synctest bubbles.
func memConfig(srv *telenortest.Server, edit func(*telenor.Config)) telenor.Config {
	cfg := telenor.Config{ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: "http://127.0.0.1", HTTPClient: &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}}}
	edit(&cfg)
	return cfg
}

// Each limit, when it is the one that fires, is the one the error names:
// the caller's deadline (context.DeadlineExceeded), the SDK's TokenTimeout
// (ErrTokenTimeout, also for an API call waiting for the token behind a
// shorter HTTPClient.Timeout) or the HTTP client's Timeout on an API
// request (named in the message).
func TestTimeoutsBlameTheLimitThatFired(t *testing.T) {
	tests := []struct {
		name        string
		edit        func(*telenor.Config)
		hangToken   bool
		callerLimit time.Duration // 0: none
		call        func(context.Context, *telenor.SystemSession) error
		took        time.Duration
		check       func(*testing.T, error)
		api         int // requests that reached the API
	}{
		{name: "caller deadline before TokenTimeout and HTTPClient.Timeout",
			edit: func(c *telenor.Config) { c.HTTPClient.Timeout = 20 * time.Second }, hangToken: true, callerLimit: 2 * time.Second,
			call: organizations, took: 2 * time.Second, check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.NotErrorIs(t, err, telenor.ErrTokenTimeout)
			}},
		{name: "API call waiting for a hanging token endpoint behind a shorter HTTPClient.Timeout",
			edit: func(c *telenor.Config) { c.HTTPClient.Timeout = 10 * time.Second }, hangToken: true,
			call: organizations, took: 30 * time.Second, check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, telenor.ErrTokenTimeout)
				assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller has no deadline")
			}},
		{name: "hanging API behind HTTPClient.Timeout",
			edit: func(c *telenor.Config) { c.HTTPClient.Timeout = 10 * time.Second },
			call: organizations, took: 10 * time.Second, api: 1, check: func(t *testing.T, err error) {
				assert.ErrorContains(t, err, "HTTPClient.Timeout")
				assert.NotErrorIs(t, err, telenor.ErrTokenTimeout)
			}},
		{name: "huge retry values end at TokenTimeout with the server's answer",
			edit: func(c *telenor.Config) {
				c.Retry = telenor.RetryPolicy{MaxAttempts: 1 << 40, BaseDelay: time.Hour, MaxDelay: 1 << 62}
			},
			call: func(ctx context.Context, s *telenor.SystemSession) error { _, err := s.Token(ctx); return err },
			took: 30 * time.Second, check: func(t *testing.T, err error) {
				var ae *telenor.AuthError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := telenortest.NewUnstartedServer()
				t.Cleanup(srv.Close)
				if tt.hangToken {
					srv.Fail(telenortest.PasswordTokenPath, 100, telenortest.Fault{Hang: true})
				} else if tt.api == 0 {
					srv.Fail(telenortest.PasswordTokenPath, 100, telenortest.Fault{Status: 503})
				}
				srv.Fail(telenortest.OrganizationsPath, 100, telenortest.Fault{Hang: true})
				cli, err := telenor.NewClient(memConfig(srv, tt.edit))
				require.NoError(t, err)
				ctx := context.Background()
				if tt.callerLimit > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.callerLimit)
					defer cancel()
				}
				start := time.Now()
				err = tt.call(ctx, cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword))
				require.Error(t, err)
				assert.Equal(t, tt.took, time.Since(start), "%v", err)
				tt.check(t, err)
				assert.Equal(t, tt.api, srv.Requests(telenortest.OrganizationsPath))
				time.Sleep(time.Minute) // past the background token fetch
				srv.Close()
			})
		})
	}
}

func organizations(ctx context.Context, s *telenor.SystemSession) error {
	_, err := s.Organizations(ctx)
	return err
}

// failingTransport fails every request: a transport swapped in too late.
type failingTransport struct{}

func (failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("the swapped-in transport was used")
}

// Changing the *http.Client given as Config.HTTPClient after NewClient
// changes nothing in the Client: not its token requests, not the API
// requests of a session made later.
func TestHTTPClientChangedAfterNewClientIsNotUsed(t *testing.T) {
	srv := telenortest.NewServer()
	t.Cleanup(srv.Close)
	hc := srv.Client()
	cli, err := telenor.NewClient(telenor.Config{ClientID: telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret, BaseURL: srv.URL, HTTPClient: hc})
	require.NoError(t, err)
	hc.Transport, hc.Timeout = failingTransport{}, time.Nanosecond

	s := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	_, err = s.Organizations(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenRequests())
	assert.Equal(t, 1, srv.Requests(telenortest.OrganizationsPath))
}

// Two Clients made from one Config share no token: each fetches its own,
// and one's invalidation does not reach the other.
func TestTwoClientsFromOneConfigShareNothing(t *testing.T) {
	srv := telenortest.NewServer()
	t.Cleanup(srv.Close)
	cfg := telenor.Config{ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: srv.URL, HTTPClient: srv.Client()}
	a, err := telenor.NewClient(cfg)
	require.NoError(t, err)
	b, err := telenor.NewClient(cfg)
	require.NoError(t, err)
	sa := a.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	sb := b.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	ta, err := sa.Token(t.Context())
	require.NoError(t, err)
	tb, err := sb.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, ta.AccessToken, tb.AccessToken)
	assert.Equal(t, 2, srv.TokenRequests())
	assert.True(t, sa.Invalidate(ta.AccessToken))
	again, err := sb.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, tb.AccessToken, again.AccessToken)
	assert.Equal(t, 2, srv.TokenRequests())
}

// With the user's own HTTPClient (a cookie jar, a timeout, no
// CheckRedirect), an API redirect to another host carries neither the
// Bearer token nor the gateway's cookies.
func TestRedirectCarriesNoTokenOrGatewayCookie(t *testing.T) {
	var mu sync.Mutex
	var otherSaw []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		otherSaw = append(otherSaw, r.Header.Get("Authorization")+r.Header.Get("Cookie"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[]`))
	}))
	t.Cleanup(other.Close)
	srv := telenortest.NewUnstartedServer()
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "gw", Value: "cookie-LEAK", Path: "/"})
		if r.URL.Path == telenortest.OrganizationsPath && r.Header.Get("Cookie") != "" {
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/moved", http.StatusTemporaryRedirect)
			return
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() { gw.Close(); srv.Close() })
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	cli, err := telenor.NewClient(telenor.Config{ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: gw.URL, HTTPClient: &http.Client{Jar: jar, Timeout: time.Minute}})
	require.NoError(t, err)
	s := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	_, err = s.Token(t.Context()) // the jar now holds the gateway's cookie
	require.NoError(t, err)
	_, err = s.Organizations(t.Context())
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{""}, otherSaw, "followed, with no token and no cookie")
}

// Odd but valid spellings of the gateway's URL work end to end: the token
// and the API call reach the gateway, with the Bearer token (its host is
// compared case-insensitively).
func TestOddBaseURLSpellingsWork(t *testing.T) {
	srv := telenortest.NewServer()
	t.Cleanup(srv.Close)
	upper := strings.ToUpper(strings.Replace(srv.URL, "127.0.0.1", "localhost", 1))
	for i, base := range []string{srv.URL + "/", srv.URL + "//", " " + srv.URL + "\n", upper, upper + "/"} {
		cli, err := telenor.NewClient(telenor.Config{ClientID: telenortest.DefaultClientID,
			ClientSecret: telenortest.DefaultClientSecret, BaseURL: base, HTTPClient: srv.Client()})
		require.NoError(t, err, "%q", base)
		_, err = cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword).Organizations(t.Context())
		require.NoError(t, err, "%q", base)
		assert.Equal(t, i+1, srv.TokenRequests(), "%q", base)
		assert.Equal(t, i+1, srv.Requests(telenortest.OrganizationsPath), "%q", base)
	}
}

// The token wait of a 401 replay runs inside the API request, so under
// HTTPClient.Timeout: when that limit fires, the error says so, with the
// request it cut, rather than a bare context.DeadlineExceeded that reads
// like the caller's own deadline.
func TestReplayTokenWaitBlamesHTTPClientTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer()
		t.Cleanup(srv.Close)
		cli, err := telenor.NewClient(memConfig(srv, func(c *telenor.Config) { c.HTTPClient.Timeout = 10 * time.Second }))
		require.NoError(t, err)
		s := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
		_, err = s.Token(t.Context())
		require.NoError(t, err)
		srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: 40106})
		srv.Fail(telenortest.PasswordTokenPath, 100, telenortest.Fault{Hang: true})
		start := time.Now()
		err = organizations(context.Background(), s)
		require.Error(t, err)
		assert.Equal(t, 10*time.Second, time.Since(start), "%v", err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorContains(t, err, "telenor: GET /organizations")
		assert.ErrorContains(t, err, "HTTPClient.Timeout")
		time.Sleep(time.Minute) // past the token fetch
		srv.Close()
	})
}

// A test that swapped http.DefaultTransport for its own (httpmock does)
// can still make Clients, with or without an HTTPClient of its own.
func TestNewClientWithReplacedDefaultTransport(t *testing.T) {
	old := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = old })
	http.DefaultTransport = failingTransport{}
	for _, hc := range []*http.Client{nil, {Transport: old}} {
		cli, err := telenor.NewClient(telenor.Config{ClientID: "id", ClientSecret: "secret", HTTPClient: hc})
		require.NoError(t, err)
		require.NotNil(t, cli)
	}
	srv := telenortest.NewServer()
	defer srv.Close()
	for _, rt := range []http.RoundTripper{nil, (*http.Transport)(nil)} { // net/http's defaults then
		http.DefaultTransport = rt
		cli, err := telenor.NewClient(telenor.Config{ClientID: telenortest.DefaultClientID,
			ClientSecret: telenortest.DefaultClientSecret, BaseURL: srv.URL})
		require.NoError(t, err)
		_, err = cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword).Token(t.Context())
		require.NoError(t, err, "%T", rt)
	}
	http.DefaultTransport = old // before srv.Close, which uses it
}
