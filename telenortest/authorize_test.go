package telenortest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

const testCallback = "https://app.example/callback"

// noRedirects returns a client for srv that stops at the first redirect.
func noRedirects(srv *Server) *http.Client {
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// reply is a response with its body read.
type reply struct {
	resp *http.Response
	body []byte
}

// authorize sends GET AuthPath with params and returns the answer.
func authorize(t *testing.T, srv *Server, base string, params url.Values) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+AuthPath+"?"+params.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, noRedirects(srv), req)
	return reply{resp, body}
}

// answer posts the consent page's form for request id.
func answer(t *testing.T, srv *Server, base, id, decision string) reply {
	t.Helper()
	form := url.Values{"request": {id}, "decision": {decision}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+AuthPath, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := do(t, noRedirects(srv), req)
	return reply{resp, body}
}

// authParams is an authorization request for the default client.
func authParams(state string) url.Values {
	return url.Values{"client_id": {DefaultClientID}, "state": {state}, "redirect_uri": {testCallback}}
}

// callbackQuery checks that r redirects to testCallback with status and
// returns the callback's query.
func callbackQuery(t *testing.T, r reply, status int) url.Values {
	t.Helper()
	wantStatus(t, r.resp, r.body, status)
	loc, err := url.Parse(r.resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testCallback {
		t.Fatalf("redirect to %q, want %q", got, testCallback)
	}
	return loc.Query()
}

var requestIDPattern = regexp.MustCompile(`name="request" value="([0-9a-f]{64})"`)

// consentRequestID returns the pending request id a consent page carries.
func consentRequestID(t *testing.T, body []byte) string {
	t.Helper()
	m := requestIDPattern.FindSubmatch(body)
	if m == nil {
		t.Fatalf("consent page has no request id:\n%s", body)
	}
	return string(m[1])
}

// exchange posts an authorization-code grant for code, with the
// redirect_uri authParams sends.
func exchange(t *testing.T, srv *Server, base, code string) (*http.Response, []byte) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testCallback}}
	req := tokenRequest(t, t.Context(), base, TokenPath, form, DefaultClientID, DefaultClientSecret)
	return do(t, srv.Client(), req)
}

func TestAuthorizeRejectsUnknownClientAndCallback(t *testing.T) {
	srv := NewServer(WithRedirectURL(testCallback))
	defer srv.Close()
	tests := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"unknown client", url.Values{"client_id": {"nobody"}, "redirect_uri": {testCallback}}, "client_id"},
		{"missing client", url.Values{"redirect_uri": {testCallback}}, "client_id"},
		{"other callback", url.Values{"client_id": {DefaultClientID}, "redirect_uri": {"/cb"}}, "does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := authorize(t, srv, srv.URL, tt.params)
			resp, body := r.resp, r.body
			wantStatus(t, resp, body, http.StatusBadRequest)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q, want HTML", ct)
			}
			if !strings.Contains(string(body), tt.want) || resp.Header.Get("Location") != "" {
				t.Errorf("body %s lacks %q (or the page redirected)", body, tt.want)
			}
		})
	}
	if n := srv.Requests(AuthPath); n != len(tests) {
		t.Errorf("Requests(AuthPath) = %d, want %d", n, len(tests))
	}
}

func TestConsentPageShowsSubscriberAndApproves(t *testing.T) {
	sub := DefaultSubscriber()
	sub.GivenName, sub.FamilyName, sub.MobileNumber = "Ola <b>", "Nordmann", "4791234567"
	srv := NewServer(WithSubscriber(sub), WithRedirectURL(testCallback))
	defer srv.Close()
	r := authorize(t, srv, srv.URL, authParams("st-1"))
	resp, body := r.resp, r.body
	wantStatus(t, resp, body, http.StatusOK)
	page := string(body)
	for _, want := range []string{"Ola &lt;b&gt; Nordmann", "4791234567", `value="approve"`, `value="deny"`} {
		if !strings.Contains(page, want) {
			t.Errorf("consent page lacks %q:\n%s", want, page)
		}
	}
	id := consentRequestID(t, body)
	q := callbackQuery(t, answer(t, srv, srv.URL, id, "approve"), http.StatusSeeOther)
	if q.Get("state") != "st-1" || q.Get("code") == "" {
		t.Fatalf("callback query = %v", q)
	}
	resp, body = exchange(t, srv, srv.URL, q.Get("code"))
	wantStatus(t, resp, body, http.StatusOK)
	info, ok := srv.LookupToken(decode(t, body)["access_token"].(string))
	if !ok || info.Subject != "4791234567" || info.ClientID != DefaultClientID {
		t.Errorf("token info = %+v, %v; want the subscriber's number as subject", info, ok)
	}
	r = answer(t, srv, srv.URL, id, "approve")
	resp, body = r.resp, r.body
	wantStatus(t, resp, body, http.StatusBadRequest) // a consent page is answered once
}

func TestConsentPageDeny(t *testing.T) {
	srv := NewServer(WithRedirectURL(testCallback))
	defer srv.Close()
	r := authorize(t, srv, srv.URL, authParams("st-2"))
	q := callbackQuery(t, answer(t, srv, srv.URL, consentRequestID(t, r.body), "deny"), http.StatusSeeOther)
	want := url.Values{"error": {"access_denied"}, "error_description": {"The resource owner denied the request"}, "state": {"st-2"}}
	if q.Encode() != want.Encode() {
		t.Errorf("callback query = %v, want %v", q, want)
	}
}

func TestAutoConsentModes(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	q := callbackQuery(t, authorize(t, srv, srv.URL, authParams("a")), http.StatusFound)
	if q.Get("code") == "" || q.Get("state") != "a" {
		t.Errorf("auto-approve query = %v", q)
	}
	srv.SetConsent(ConsentAutoDeny)
	q = callbackQuery(t, authorize(t, srv, srv.URL, authParams("b")), http.StatusFound)
	if q.Get("error") != "access_denied" || q.Get("code") != "" || q.Get("state") != "b" {
		t.Errorf("auto-deny query = %v", q)
	}
	srv.SetConsent(ConsentPage)
	r := authorize(t, srv, srv.URL, authParams("c"))
	resp, body := r.resp, r.body
	wantStatus(t, resp, body, http.StatusOK)
}

func TestRegisteredRedirectURL(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback+"?tenant=7"))
	defer srv.Close()
	q := callbackQuery(t, authorize(t, srv, srv.URL, url.Values{"client_id": {DefaultClientID}, "state": {"s"}}), http.StatusFound)
	if q.Get("tenant") != "7" || q.Get("code") == "" {
		t.Errorf("callback query = %v, want the registered URL's query kept", q)
	}
	r := authorize(t, srv, srv.URL, url.Values{"client_id": {DefaultClientID}, "redirect_uri": {"https://evil.example/cb"}})
	resp, body := r.resp, r.body
	wantStatus(t, resp, body, http.StatusBadRequest)
}

func TestAuthorizationCodeIsSingleUseAndPerClient(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithClient(DefaultClientID, DefaultClientSecret), WithClient("other", "other-secret"), WithRedirectURL(testCallback))
	defer srv.Close()
	code := callbackQuery(t, authorize(t, srv, srv.URL, authParams("s")), http.StatusFound).Get("code")
	resp, body := exchange(t, srv, srv.URL, code)
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = exchange(t, srv, srv.URL, code)
	wantStatus(t, resp, body, http.StatusBadRequest)
	if e := decode(t, body)["error"]; e != "invalid_grant" {
		t.Errorf("reused code: error = %v, want invalid_grant", e)
	}

	code = callbackQuery(t, authorize(t, srv, srv.URL, authParams("s")), http.StatusFound).Get("code")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testCallback}}
	resp, body = do(t, srv.Client(), tokenRequest(t, t.Context(), srv.URL, TokenPath, form, "other", "other-secret"))
	wantStatus(t, resp, body, http.StatusBadRequest)
	resp, body = exchange(t, srv, srv.URL, code)
	wantStatus(t, resp, body, http.StatusBadRequest) // a failed exchange used the code up too
}

func TestAuthorizationCodeExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewUnstartedServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
		defer srv.Close()
		code := func() string {
			return callbackQuery(t, authorize(t, srv, fakeBase, authParams("s")), http.StatusFound).Get("code")
		}
		fresh, stale := code(), code()
		time.Sleep(defaultCodeLifetime - time.Second)
		resp, body := exchange(t, srv, fakeBase, fresh)
		wantStatus(t, resp, body, http.StatusOK)
		time.Sleep(time.Second)
		resp, body = exchange(t, srv, fakeBase, stale)
		wantStatus(t, resp, body, http.StatusBadRequest)
		if e := decode(t, body)["error"]; e != "invalid_grant" {
			t.Errorf("expired code: error = %v, want invalid_grant", e)
		}
	})
}

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

// RFC 7636 appendix B's example.
const (
	rfcVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

func TestRFC7636Example(t *testing.T) {
	sum := sha256.Sum256([]byte(rfcVerifier))
	if got := base64.RawURLEncoding.EncodeToString(sum[:]); got != rfcChallenge {
		t.Fatalf("S256(%s) = %s, want %s", rfcVerifier, got, rfcChallenge)
	}
}

func pkceParams(challenge, method string) url.Values {
	p := authParams("s")
	if challenge != "" {
		p.Set("code_challenge", challenge)
	}
	if method != "" {
		p.Set("code_challenge_method", method)
	}
	return p
}

func TestPKCEEnforcedWhenChallengeSent(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	code := func(params url.Values) string {
		t.Helper()
		q := callbackQuery(t, authorize(t, srv, srv.URL, params), http.StatusFound)
		if q.Get("code") == "" {
			t.Fatalf("no code: %v", q)
		}
		return q.Get("code")
	}
	withURI := func(v url.Values) url.Values {
		v.Set("redirect_uri", testCallback)
		return v
	}
	tests := []struct {
		name     string
		params   url.Values
		verifier string
		ok       bool
	}{
		{"challenge, no verifier", pkceParams(rfcChallenge, "S256"), "", false},
		{"challenge, wrong verifier", pkceParams(rfcChallenge, "S256"), strings.Repeat("a", 43), false},
		{"challenge, malformed verifier", pkceParams(rfcChallenge, "S256"), rfcVerifier[:42], false},
		{"challenge, the verifier", pkceParams(rfcChallenge, "S256"), rfcVerifier, true},
		{"no challenge, a verifier", authParams("s"), rfcVerifier, false},
		{"no challenge, no verifier", authParams("s"), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := withURI(url.Values{})
			if tt.verifier != "" {
				extra.Set("code_verifier", tt.verifier)
			}
			resp, body := exchangeWith(t, srv, code(tt.params), extra)
			if tt.ok {
				wantStatus(t, resp, body, http.StatusOK)
				return
			}
			wantOAuthError(t, resp, body, "invalid_grant")
		})
	}
}

func TestPKCEChallengeMustBeS256(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	for name, params := range map[string]url.Values{
		"plain":          pkceParams(rfcVerifier, "plain"),
		"no method":      pkceParams(rfcChallenge, ""),
		"method only":    pkceParams("", "S256"),
		"short":          pkceParams(rfcChallenge[:42], "S256"),
		"not base64url":  pkceParams(strings.Repeat("+", 43), "S256"),
		"repeated":       {"client_id": {DefaultClientID}, "state": {"s"}, "code_challenge": {rfcChallenge, rfcChallenge}, "code_challenge_method": {"S256"}},
		"method unknown": pkceParams(rfcChallenge, "S512"),
	} {
		t.Run(name, func(t *testing.T) {
			q := callbackQuery(t, authorize(t, srv, srv.URL, params), http.StatusFound)
			if q.Get("error") != "invalid_request" || q.Get("code") != "" || q.Get("state") != "s" {
				t.Errorf("callback query = %v, want error=invalid_request and no code", q)
			}
		})
	}
}
