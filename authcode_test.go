package telenor

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

const testCallbackURL = "https://app.example/callback"

func TestNewState(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s := NewState()
		raw, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err)
		assert.Len(t, raw, 32)
		assert.False(t, seen[s])
		seen[s] = true
	}
}

func TestAuthCodeURL(t *testing.T) {
	cli, err := NewClient(Config{ClientID: "my id", ClientSecret: "s"})
	require.NoError(t, err)
	u, err := url.Parse(cli.AuthCodeURL("st", WithScope(" ", "")))
	require.NoError(t, err)
	assert.Equal(t, "https://api.telenor.no/oauth/v2/authorize", u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, url.Values{"client_id": {"my id"}, "state": {"st"}, "response_type": {"code"}}, u.Query())

	cli, err = NewClient(Config{ClientID: "id", ClientSecret: "s", RedirectURL: testCallbackURL})
	require.NoError(t, err)
	u, err = url.Parse(cli.AuthCodeURL("st", WithScope("a", "b")))
	require.NoError(t, err)
	assert.Equal(t, testCallbackURL, u.Query().Get("redirect_uri"))
	assert.Equal(t, "a b", u.Query().Get("scope"))
}

func TestParseCallback(t *testing.T) {
	const state = "expected-state"
	tests := []struct {
		name, query string
		sentinel    error
		code        string // want this AuthError code when sentinel is nil
	}{
		{"missing state", "code=abc", ErrStateMismatch, ""},
		{"other state", "code=abc&state=forged", ErrStateMismatch, ""},
		{"repeated state", "code=abc&state=" + state + "&state=" + state, ErrStateMismatch, ""},
		{"bad escape", "code=abc&state=" + state + "&x=%zz", ErrStateMismatch, ""},
		{"denied with wrong state", "error=access_denied&state=x", ErrStateMismatch, ""},
		{"denied", "error=access_denied&error_description=The+resource+owner+denied+the+request&state=" + state, ErrAccessDenied, ""},
		{"other error", "error=server_error&state=" + state, nil, "server_error"},
		{"empty error", "error=&state=" + state, nil, "invalid_request"},
		{"no code", "state=" + state, ErrMissingCode, ""},
		{"empty code", "code=&state=" + state, ErrMissingCode, ""},
		{"repeated code", "code=a&code=b&state=" + state, nil, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := parseCallback(tt.query, state)
			require.Error(t, err)
			assert.Empty(t, code)
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			var ae *AuthError
			if tt.sentinel != ErrStateMismatch {
				require.ErrorAs(t, err, &ae)
				if tt.code != "" {
					assert.Equal(t, tt.code, ae.Code)
				}
			}
		})
	}
	code, err := parseCallback("code=the-code&state="+state+"&scope=x", state)
	require.NoError(t, err)
	assert.Equal(t, "the-code", code)
	_, err = parseCallback("code=abc&state=", "")
	assert.ErrorIs(t, err, ErrStateMismatch, "an empty expected state fails closed")
}

func TestCallbackErrorTextIsSanitized(t *testing.T) {
	q := url.Values{"state": {"s"}, "error": {"bad\r\nLog: injected"}, "error_description": {strings.Repeat("x", 5000) + "\x1b[31m"}}
	_, err := parseCallback(q.Encode(), "s")
	require.Error(t, err)
	msg := err.Error()
	assert.NotContains(t, msg, "\n")
	assert.NotContains(t, msg, "\x1b")
	assert.Less(t, len(msg), 1000)
}

// codeFor runs the authorization request for state against srv (which
// must auto-approve) and returns the callback URL it redirects to.
func codeFor(t *testing.T, srv *telenortest.Server, cli *Client, state string) *url.URL {
	t.Helper()
	hc := srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(cli.AuthCodeURL(state))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return loc
}

func TestExchangeIsNeverRetried(t *testing.T) {
	faults := map[string]telenortest.Fault{
		"503":   {Status: http.StatusServiceUnavailable, Shape: telenortest.ShapeOAuth},
		"429":   {Status: http.StatusTooManyRequests, Code: 42902, RetryAfter: "1"},
		"reset": {Reset: true},
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			srv := telenortest.NewServer(telenortest.WithConsent(telenortest.ConsentAutoApprove),
				telenortest.WithRedirectURL(testCallbackURL))
			cli := newTestClient(t, srv)
			code := codeFor(t, srv, cli, "s").Query().Get("code")
			srv.Fail(telenortest.TokenPath, 3, f)
			_, err := cli.Exchange(t.Context(), code)
			require.Error(t, err)
			assert.Equal(t, 1, srv.Requests(telenortest.TokenPath), "exactly one POST: a code works once")
			assert.NotContains(t, err.Error(), code)
		})
	}
}

func TestExchangeReplayedCode(t *testing.T) {
	srv := telenortest.NewServer(telenortest.WithConsent(telenortest.ConsentAutoApprove),
		telenortest.WithRedirectURL(testCallbackURL))
	cli := newTestClient(t, srv)
	code := codeFor(t, srv, cli, "s").Query().Get("code")
	_, err := cli.Exchange(t.Context(), code)
	require.NoError(t, err)
	_, err = cli.Exchange(t.Context(), code)
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, ErrInvalidGrant)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.NotContains(t, err.Error(), code)
	assert.Equal(t, 2, srv.TokenRequests())

	_, err = cli.Exchange(t.Context(), "")
	assert.ErrorIs(t, err, ErrMissingCode)
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestUserSessionFromCallbackExpiresIntoReauthenticate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t, telenortest.WithConsent(telenortest.ConsentAutoApprove),
			telenortest.WithRedirectURL(testCallbackURL))
		sent := time.Now()
		cb := codeFor(t, srv, cli, "st")
		user, err := cli.HandleCallback(t.Context(), httptest.NewRequest(http.MethodGet, cb.String(), nil), "st")
		require.NoError(t, err)
		tok, err := user.Token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, sent.Add(telenortest.DefaultExpiresIn), tok.Expiry, "expiry counts from the send time")
		info, ok := srv.LookupToken(tok.AccessToken)
		require.True(t, ok)
		assert.Equal(t, srv.Subscriber().MobileNumber, info.Subject)

		time.Sleep(telenortest.DefaultExpiresIn)
		_, err = user.Token(t.Context())
		assert.ErrorIs(t, err, ErrReauthenticate)
		assert.Equal(t, 1, srv.TokenRequests(), "a user Session never fetches by itself")
	})
}

// FuzzHandleCallback feeds arbitrary callback queries and states to
// HandleCallback. It must never panic, and it may only send a code to the
// token endpoint when the query carries exactly the expected state.
func FuzzHandleCallback(f *testing.F) {
	for _, seed := range [][2]string{
		{"code=abc&state=s", "s"},
		{"code=abc&state=s&state=s", "s"},
		{"error=access_denied&error_description=The+resource+owner+denied+the+request&state=s", "s"},
		{"state=s", "s"},
		{"code=abc", ""},
		{"code=%zz&state=s", "s"},
		{"state=s;code=x", "s"},
		{"", ""},
		{"error=\x00&state=\xff", "\xff"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, rawQuery, state string) {
		var sent []string
		cli, err := NewClient(Config{ClientID: "id", ClientSecret: "s", HTTPClient: &http.Client{
			Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				_ = r.ParseForm()
				sent = append(sent, r.PostForm.Get("code"))
				return nil, fmt.Errorf("no network in fuzzing")
			}),
		}})
		require.NoError(t, err)
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/callback", RawQuery: rawQuery}}
		user, err := cli.HandleCallback(t.Context(), r, state)
		require.Error(t, err)
		require.Nil(t, user)
		if len(sent) == 0 {
			return
		}
		q, perr := url.ParseQuery(rawQuery)
		require.NoError(t, perr)
		require.Len(t, sent, 1, "the code is sent at most once")
		require.NotEmpty(t, state)
		require.Equal(t, []string{state}, q["state"])
		require.Equal(t, q.Get("code"), sent[0])
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
