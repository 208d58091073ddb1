package telenortest

import (
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
		time.Sleep(DefaultCodeLifetime - time.Second)
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
