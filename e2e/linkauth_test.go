package e2e

// Browser tests of the linkauth example (examples/linkauth/webapp): a real
// Chromium clicks through "Log in with your mobile" against the fake
// Telenor gateway's interactive consent page, both served on loopback.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"image/png"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/examples/linkauth/webapp"
	"github.com/telenor-go/telenor/telenortest"
)

const (
	// updateScreenshotEnv, when "1", makes TestLinkauthApprove write the
	// approve path's final page to approveScreenshot (for the README).
	// Unset in CI, so a test run never writes into the source tree.
	updateScreenshotEnv = "E2E_UPDATE_SCREENSHOT"
	approveScreenshot   = "testdata/approve.png"

	// shownNumber is how the app shows the fake subscriber's number, which
	// Telenor sends as "4790012345".
	shownNumber = "+47 900 12 345"
)

// linkauth is the example web app and the fake gateway it talks to, both on
// loopback, wired as the webapp package documents.
type linkauth struct {
	gw     *telenortest.Server
	appURL string
	sub    telenortest.Subscriber
}

// startLinkauth starts the fake gateway with its consent page and the
// linkauth web app; both are closed when the test ends. The app's listener
// comes first: the gateway redirects only to the registered callback.
func startLinkauth(t testing.TB) *linkauth {
	t.Helper()
	app := httptest.NewUnstartedServer(nil) // listens on 127.0.0.1
	t.Cleanup(app.Close)
	appURL := "http://" + app.Listener.Addr().String()
	gw := startGateway(t,
		telenortest.WithConsent(telenortest.ConsentPage),
		telenortest.WithRedirectURL(appURL+"/callback"))
	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      gw.URL,
		HTTPClient:   gw.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := webapp.New(webapp.Config{Client: cli, StateKey: []byte(rand.Text() + rand.Text())})
	if err != nil {
		t.Fatal(err)
	}
	app.Config.Handler = h
	app.Start()
	return &linkauth{gw: gw, appURL: appURL, sub: telenortest.DefaultSubscriber()}
}

// toConsentPage opens the app's start page, clicks "Log in with your
// mobile" and waits for Telenor's (fake) consent page, which must name the
// subscriber. It returns the consent page's URL. No token has been
// requested yet. Both pages must be mobile first.
func (l *linkauth) toConsentPage(t testing.TB, ctx context.Context) string {
	t.Helper()
	navigate(t, ctx, l.appURL+"/")
	waitPage(t, ctx, "Welcome")
	wantMobileFirst(t, ctx)
	clickText(t, ctx, "Log in with your mobile")
	waitPage(t, ctx, "Do you allow the app to see your information?")
	wantMobileFirst(t, ctx)

	u := currentURL(t, ctx)
	if !strings.HasPrefix(u, l.gw.URL+telenortest.AuthPath+"?") {
		t.Fatalf("consent page URL = %q, want the gateway's %s", u, telenortest.AuthPath)
	}
	wantText(t, ctx, "#name", l.sub.FullName())
	wantText(t, ctx, "#mobile-number", l.sub.MobileNumber)
	l.wantTokenRequests(t, 0)
	return u
}

// approve goes through the consent page, clicks Approve and waits for the
// app's /me page, checking that it shows the subscriber, readably, on a
// phone.
func (l *linkauth) approve(t testing.TB, ctx context.Context) {
	t.Helper()
	l.toConsentPage(t, ctx)
	clickText(t, ctx, "Approve")
	waitPage(t, ctx, "Your details")

	if u := currentURL(t, ctx); u != l.appURL+"/me" {
		t.Errorf("URL after Approve = %q, want %q", u, l.appURL+"/me")
	}
	wantText(t, ctx, "#title", "Your details")
	wantText(t, ctx, "#name", l.sub.FullName())
	wantText(t, ctx, "#mobile-number", shownNumber)
	wantText(t, ctx, "#device-manufacturer", l.sub.Device.Manufacturer)
	wantText(t, ctx, "#device-model", l.sub.Device.Model)
	if _, ok := elementText(t, ctx, "#logout"); !ok {
		t.Error("the /me page has no Log out button")
	}
	wantMobileFirst(t, ctx)
	l.wantSecureSessionCookie(t, ctx)
}

// wantSecureSessionCookie checks that Chromium stored the app's session
// cookie as the app sets it by default, Secure with the __Host- prefix,
// although the app is served over plain http on 127.0.0.1 (browsers treat
// loopback as a secure origin); reaching /me already showed that Chromium
// sends it back.
func (l *linkauth) wantSecureSessionCookie(t testing.TB, ctx context.Context) {
	t.Helper()
	for _, c := range browserCookies(t, ctx, l.appURL+"/me") {
		if c.Name == "__Host-linkauth_session" {
			if !c.Secure || !c.HTTPOnly || c.Path != "/" {
				t.Errorf("session cookie: Secure %v, HttpOnly %v, Path %q; want Secure, HttpOnly, /", c.Secure, c.HTTPOnly, c.Path)
			}
			return
		}
	}
	t.Error("Chromium holds no __Host-linkauth_session cookie for the app")
}

// browserCookies returns the cookies Chromium would send to url.
func browserCookies(t testing.TB, ctx context.Context, url string) []*network.Cookie {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(sctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		t.Fatalf("reading the browser's cookies: %v", err)
	}
	return res.Cookies
}

func (l *linkauth) wantTokenRequests(t testing.TB, want int) {
	t.Helper()
	if n := l.gw.TokenRequests(); n != want {
		t.Errorf("token requests at the gateway = %d, want %d", n, want)
	}
}

func TestLinkauthApprove(t *testing.T) {
	l := startLinkauth(t)
	ctx := newPhone(t)

	l.approve(t, ctx)
	l.wantTokenRequests(t, 1)
	// The fake's device supports all four, named as customers know them.
	for _, label := range []string{"HD Voice", "4G", "4G+", "VoLTE"} {
		wantText(t, ctx, `#capabilities [data-capability="`+label+`"]`, "Yes")
	}
	if caps, _ := elementText(t, ctx, "#capabilities"); strings.Contains(caps, "volte") {
		t.Errorf("a capability keeps the gateway's name:\n%s", caps)
	}

	shot := screenshot(t, ctx)
	if _, err := png.Decode(bytes.NewReader(shot)); err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if os.Getenv(updateScreenshotEnv) == "1" {
		if err := os.MkdirAll(filepath.Dir(approveScreenshot), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(approveScreenshot, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", approveScreenshot)
	}
}

func TestLinkauthDeny(t *testing.T) {
	l := startLinkauth(t)
	ctx := newPhone(t)

	l.toConsentPage(t, ctx)
	clickText(t, ctx, "Deny")
	waitPage(t, ctx, "Login cancelled")

	if u := currentURL(t, ctx); !strings.HasPrefix(u, l.appURL+"/callback?") {
		t.Errorf("URL after Deny = %q, want the app's callback", u)
	}
	wantText(t, ctx, "#title", "Login cancelled")
	wantText(t, ctx, "#problem", "You chose not to share your information with this app, so you are not logged in. Nothing was shared.")
	page := strings.ToLower(bodyText(t, ctx))
	for _, jargon := range []string{"access_denied", "resource owner", "denied the request"} {
		if strings.Contains(page, jargon) {
			t.Errorf("the deny page speaks OAuth (%q):\n%s", jargon, page)
		}
	}
	if _, ok := elementText(t, ctx, "#try-again"); !ok {
		t.Error("the page has no Try again link")
	}
	wantMobileFirst(t, ctx)
	wantNoSubscriberData(t, ctx, l.sub)
	l.wantTokenRequests(t, 0)
}

// TestLinkauthTamperedState arrives at the callback with a state the app did
// not issue: the real state of a pending login with one character changed,
// while the browser holds the login's state cookie.
func TestLinkauthTamperedState(t *testing.T) {
	l := startLinkauth(t)
	ctx := newPhone(t)

	consent, err := url.Parse(l.toConsentPage(t, ctx))
	if err != nil {
		t.Fatal(err)
	}
	issued := consent.Query().Get("state")
	if issued == "" {
		t.Fatalf("the authorization URL %s has no state", consent)
	}
	forged := tamper(issued)
	navigate(t, ctx, l.appURL+"/callback?"+url.Values{"code": {"x"}, "state": {forged}}.Encode())
	waitPage(t, ctx, "Login could not be verified")

	wantText(t, ctx, "#title", "Login could not be verified")
	if _, ok := elementText(t, ctx, "#try-again"); !ok {
		t.Error("the page has no Try again link")
	}
	wantMobileFirst(t, ctx)
	wantNoSubscriberData(t, ctx, l.sub)
	l.wantTokenRequests(t, 0)
}

// TestLinkauthForgedCallbackKeepsTheLogin: while the user looks at the
// consent page, another tab (any web page can open one) sends the browser
// to the app's callback with a forged state. That must not break the login
// in flight: Approve in the first tab still logs the user in.
func TestLinkauthForgedCallbackKeepsTheLogin(t *testing.T) {
	l := startLinkauth(t)
	ctx := newPhone(t)
	l.toConsentPage(t, ctx)

	other, closeOther := chromedp.NewContext(ctx) // a second tab in the same browser
	if err := chromedp.Do(other); err != nil {    // opened here, unbounded by a step's timeout
		t.Fatalf("opening a second tab: %v", err)
	}
	navigate(t, other, l.appURL+"/callback?"+url.Values{"code": {"x"}, "state": {telenor.NewState()}}.Encode())
	waitPage(t, other, "Login could not be verified")
	closeOther()

	clickText(t, ctx, "Approve")
	waitPage(t, ctx, "Your details")
	wantText(t, ctx, "#mobile-number", shownNumber)
	l.wantTokenRequests(t, 1)
}

// tamper changes the last character of s to another URL-safe one.
func tamper(s string) string {
	last := s[len(s)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	return s[:len(s)-1] + string(repl)
}

// TestLinkauthStartPageWhenLoggedIn: back on "/", a logged-in user sees
// so, with a link to their details, and is not offered to log in again.
func TestLinkauthStartPageWhenLoggedIn(t *testing.T) {
	l := startLinkauth(t)
	ctx := newPhone(t)

	l.approve(t, ctx)
	navigate(t, ctx, l.appURL+"/")
	waitPage(t, ctx, "You are logged in")
	wantText(t, ctx, "#title", "You are logged in")
	wantText(t, ctx, "#logout", "Log out")
	if _, ok := elementText(t, ctx, "#login"); ok {
		t.Error("the start page offers a logged-in user to log in again")
	}
	wantMobileFirst(t, ctx)

	clickText(t, ctx, "See your details")
	waitPage(t, ctx, "Your details")
	if u := currentURL(t, ctx); u != l.appURL+"/me" {
		t.Errorf("URL after See your details = %q, want %q", u, l.appURL+"/me")
	}
	wantText(t, ctx, "#mobile-number", shownNumber)
	l.wantTokenRequests(t, 1)
}

func TestLinkauthLogout(t *testing.T) {
	l := startLinkauth(t)
	ctx := newPhone(t)

	l.approve(t, ctx)
	clickText(t, ctx, "Log out")
	waitPage(t, ctx, "Welcome")

	if u := currentURL(t, ctx); u != l.appURL+"/" {
		t.Errorf("URL after Log out = %q, want the start page %q", u, l.appURL+"/")
	}
	wantText(t, ctx, "#login", "Log in with your mobile")
	wantNoSubscriberData(t, ctx, l.sub)
	if n := l.gw.Requests(telenortest.LogoutPath); n != 1 {
		t.Errorf("logout requests at the gateway = %d, want 1", n)
	}

	// Opening /me again must not show the user's data: the session is gone.
	navigate(t, ctx, l.appURL+"/me")
	waitPage(t, ctx, "Welcome")
	if u := currentURL(t, ctx); u != l.appURL+"/" {
		t.Errorf("URL of /me after Log out = %q, want the start page %q", u, l.appURL+"/")
	}
	wantText(t, ctx, "#login", "Log in with your mobile")
	wantNoSubscriberData(t, ctx, l.sub)
	l.wantTokenRequests(t, 1)
}

// wantNoSubscriberData checks that the page shows neither the subscriber's
// name nor their mobile number.
func wantNoSubscriberData(t testing.TB, ctx context.Context, sub telenortest.Subscriber) {
	t.Helper()
	page := bodyText(t, ctx)
	for _, s := range []string{sub.FullName(), sub.GivenName, sub.MobileNumber, shownNumber} {
		if strings.Contains(page, s) {
			t.Errorf("the page shows %q; want none of the subscriber's data:\n%s", s, page)
		}
	}
}

// waitPage waits until the page's visible text contains text and the
// document that shows it has finished loading; it returns the page's text.
// Choose text that only the expected page has: the old page stays up until
// the new one replaces it.
func waitPage(t testing.TB, ctx context.Context, text string) string {
	t.Helper()
	page := waitText(t, ctx, text)
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		state, err := chromedp.Run(sctx, chromedp.Evaluate[string](`document.readyState`))
		if err == nil && state == "complete" {
			return page
		}
		select {
		case <-sctx.Done():
			t.Fatalf("waiting for the page with %q to load: %v (readyState %q, error %v)", text, sctx.Err(), state, err)
		case <-tick.C:
		}
	}
}

// elementText returns the visible text of the first element that matches
// the CSS selector, and whether there is one. It does not wait.
func elementText(t testing.TB, ctx context.Context, selector string) (string, bool) {
	t.Helper()
	sel, _ := json.Marshal(selector) // a Go string always marshals
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Evaluate[*string](
		`(() => { const e = document.querySelector(`+string(sel)+`); return e ? e.innerText : null })()`))
	if err != nil {
		t.Fatalf("reading the text of %s: %v", selector, err)
	}
	if s == nil {
		return "", false
	}
	return *s, true
}

// wantText checks that the element that matches selector shows exactly
// want, whitespace-trimmed.
func wantText(t testing.TB, ctx context.Context, selector, want string) {
	t.Helper()
	got, ok := elementText(t, ctx, selector)
	switch {
	case !ok:
		t.Errorf("no element %s on the page %s", selector, currentURL(t, ctx))
	case strings.TrimSpace(got) != want:
		t.Errorf("text of %s = %q, want %q", selector, got, want)
	}
}
