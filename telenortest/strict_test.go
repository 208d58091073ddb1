package telenortest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// exchangeWith posts an authorization-code grant for code with extra
// form parameters (redirect_uri, code_verifier).
func exchangeWith(t *testing.T, srv *Server, code string, extra url.Values) (*http.Response, []byte) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	for k, v := range extra {
		form[k] = v
	}
	return do(t, srv.Client(), tokenRequest(t, t.Context(), srv.URL, TokenPath, form, DefaultClientID, DefaultClientSecret))
}

// wantOAuthError checks an error answer of the token endpoint.
func wantOAuthError(t *testing.T, resp *http.Response, body []byte, code string) {
	t.Helper()
	wantStatus(t, resp, body, http.StatusBadRequest)
	if e := decode(t, body)["error"]; e != code {
		t.Errorf("error = %v, want %s; body %s", e, code, body)
	}
}

// TestAuthorizeRequiresRegisteredCallback: Telenor redirects only to the
// callback registered in its dashboard, so without WithRedirectURL the
// fake sends no code anywhere, whatever redirect_uri says.
func TestAuthorizeRequiresRegisteredCallback(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove))
	defer srv.Close()
	for _, params := range []url.Values{authParams("s"), {"client_id": {DefaultClientID}, "state": {"s"}}} {
		r := authorize(t, srv, srv.URL, params)
		wantStatus(t, r.resp, r.body, http.StatusBadRequest)
		if loc := r.resp.Header.Get("Location"); loc != "" {
			t.Errorf("redirected to %q", loc)
		}
		if !strings.Contains(string(r.body), "WithRedirectURL") {
			t.Errorf("the error page does not say how to register a callback:\n%s", r.body)
		}
	}
}

func TestAuthorizeRejectsRepeatedOrBadRegistration(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	twice := authParams("s")
	twice.Add("redirect_uri", "https://evil.example/cb")
	r := authorize(t, srv, srv.URL, twice)
	wantStatus(t, r.resp, r.body, http.StatusBadRequest)

	bad := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL("/relative#frag"))
	defer bad.Close()
	r = authorize(t, bad, bad.URL, url.Values{"client_id": {DefaultClientID}, "state": {"s"}})
	wantStatus(t, r.resp, r.body, http.StatusBadRequest)
	if !strings.Contains(string(r.body), "WithRedirectURL") {
		t.Errorf("the error page does not name the option:\n%s", r.body)
	}
}

// TestAuthorizeRequiresStateAndCodeResponseType: errors found once the
// callback is trusted go back to it (RFC 6749 section 4.1.2.1), and no
// code is issued.
func TestAuthorizeRequiresStateAndCodeResponseType(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	tests := []struct {
		name      string
		params    url.Values
		want      string
		wantState string
	}{
		{"no state", url.Values{"client_id": {DefaultClientID}}, "invalid_request", ""},
		{"empty state", url.Values{"client_id": {DefaultClientID}, "state": {""}}, "invalid_request", ""},
		{"repeated state", url.Values{"client_id": {DefaultClientID}, "state": {"a", "b"}}, "invalid_request", ""},
		{"implicit grant", url.Values{"client_id": {DefaultClientID}, "state": {"s"}, "response_type": {"token"}}, "unsupported_response_type", "s"},
		{"empty response_type", url.Values{"client_id": {DefaultClientID}, "state": {"s"}, "response_type": {""}}, "unsupported_response_type", "s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := callbackQuery(t, authorize(t, srv, srv.URL, tt.params), http.StatusFound)
			if q.Get("error") != tt.want || q.Get("code") != "" || q.Get("state") != tt.wantState || q.Get("error_description") == "" {
				t.Errorf("callback query = %v, want error=%s with state %q and no code", q, tt.want, tt.wantState)
			}
		})
	}
	ok := url.Values{"client_id": {DefaultClientID}, "state": {"s"}, "response_type": {"code"}}
	if q := callbackQuery(t, authorize(t, srv, srv.URL, ok), http.StatusFound); q.Get("code") == "" {
		t.Errorf("response_type=code: callback query = %v", q)
	}
}

// TestCodeExchangeBindsRedirectURI: RFC 6749 section 4.1.3. A code
// requested with a redirect_uri is exchanged only with the identical
// redirect_uri; one requested without it, only without it or with the
// registered callback.
func TestCodeExchangeBindsRedirectURI(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	code := func(params url.Values) string {
		t.Helper()
		return callbackQuery(t, authorize(t, srv, srv.URL, params), http.StatusFound).Get("code")
	}
	withURI, withoutURI := authParams("s"), url.Values{"client_id": {DefaultClientID}, "state": {"s"}}
	tests := []struct {
		name   string
		params url.Values
		sent   url.Values
		ok     bool
	}{
		{"requested with, exchanged without", withURI, nil, false},
		{"requested with, exchanged with another", withURI, url.Values{"redirect_uri": {testCallback + "/"}}, false},
		{"requested with, exchanged with it", withURI, url.Values{"redirect_uri": {testCallback}}, true},
		{"requested without, exchanged without", withoutURI, nil, true},
		{"requested without, exchanged with the registered one", withoutURI, url.Values{"redirect_uri": {testCallback}}, true},
		{"requested without, exchanged with another", withoutURI, url.Values{"redirect_uri": {"https://evil.example/cb"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := exchangeWith(t, srv, code(tt.params), tt.sent)
			if tt.ok {
				wantStatus(t, resp, body, http.StatusOK)
				return
			}
			wantOAuthError(t, resp, body, "invalid_grant")
		})
	}
}
