package e2e

// A browser test of the linkauth example as a fleet: two instances behind a
// round-robin reverse proxy share logged-in users and the login replay
// guard through one real Redis.

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/redis/go-redis/v9"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/examples/linkauth/webapp"
	"github.com/telenor-go/telenor/internal/redistest"
	"github.com/telenor-go/telenor/redisstore"
	"github.com/telenor-go/telenor/telenortest"
)

// roundRobin is the load balancer: each request goes to the next instance
// in turn (the browser's favicon requests get a 404 and no turn, so that
// the turns follow the pages). It records which instance served each page.
type roundRobin struct {
	instances []*url.URL
	tr        *http.Transport

	mu     sync.Mutex
	turn   int
	served []servedBy
}

type servedBy struct {
	path     string
	instance int
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/favicon.ico" {
		http.NotFound(w, r)
		return
	}
	rr.mu.Lock()
	i := rr.turn % len(rr.instances)
	rr.turn++
	rr.served = append(rr.served, servedBy{r.URL.Path, i})
	rr.mu.Unlock()
	proxy := &httputil.ReverseProxy{Transport: rr.tr, Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(rr.instances[i])
		pr.Out.Host = pr.In.Host
	}}
	proxy.ServeHTTP(w, r)
}

// lastServed returns the instance that last served path.
func (rr *roundRobin) lastServed(t testing.TB, path string) int {
	t.Helper()
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for i := len(rr.served) - 1; i >= 0; i-- {
		if rr.served[i].path == path {
			return rr.served[i].instance
		}
	}
	t.Fatalf("no request for %s reached the instances", path)
	return -1
}

// fleet is two linkauth instances, their load balancer, the fake gateway
// and the Redis they share.
type fleet struct {
	linkauth               // appURL is the load balancer's
	lb        *roundRobin  // the instances behind appURL
	instances []string     // each instance's own URL
	logs      lockedBuffer // the instances' logs
}

func startFleet(t testing.TB) *fleet {
	t.Helper()
	rs := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: rs.Sock})
	t.Cleanup(func() { rdb.Close() })
	lb := &roundRobin{tr: &http.Transport{}}
	t.Cleanup(lb.tr.CloseIdleConnections)
	front := httptest.NewServer(lb)
	t.Cleanup(front.Close)
	gw := startGateway(t, telenortest.WithConsent(telenortest.ConsentPage),
		telenortest.WithRedirectURL(front.URL+"/callback"))
	key := []byte(rand.Text() + rand.Text()) // shared by every instance
	f := &fleet{linkauth: linkauth{gw: gw, appURL: front.URL, sub: telenortest.DefaultSubscriber()}, lb: lb}
	for range 2 {
		cli, err := telenor.NewClient(telenor.Config{
			ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: gw.URL, HTTPClient: gw.Client(),
		})
		if err != nil {
			t.Fatal(err)
		}
		guard, err := redisstore.New(rdb, redisstore.Options{Keys: [][]byte{key[:redisstore.KeySize]}})
		if err != nil {
			t.Fatal(err)
		}
		h, err := webapp.New(webapp.Config{Client: cli, StateKey: key, Logger: slog.New(slog.NewTextHandler(&f.logs, nil)),
			SessionStore: goredisstore.NewWithPrefix(rdb, "linkauth:session:"), ReplayGuard: guard})
		if err != nil {
			t.Fatal(err)
		}
		inst := httptest.NewServer(h)
		t.Cleanup(inst.Close)
		u, _ := url.Parse(inst.URL)
		lb.instances = append(lb.instances, u)
		f.instances = append(f.instances, inst.URL)
	}
	return f
}

// stateCookie returns the browser's login-attempt cookie for the app.
func stateCookie(t testing.TB, ctx context.Context, appURL string) *network.Cookie {
	t.Helper()
	for _, c := range browserCookies(t, ctx, appURL+"/callback") {
		if c.Name == telenor.DefaultStateCookieName {
			return c
		}
	}
	t.Fatal("Chromium holds no state cookie for the login in flight")
	return nil
}

func TestLinkauthFleetSharesUsersThroughRedis(t *testing.T) {
	f := startFleet(t)
	ctx := newPhone(t)

	consent, err := url.Parse(f.toConsentPage(t, ctx))
	if err != nil {
		t.Fatal(err)
	}
	copied := stateCookie(t, ctx, f.appURL) // as an attacker would copy it
	clickText(t, ctx, "Approve")
	waitPage(t, ctx, "Your details")
	wantText(t, ctx, "#mobile-number", shownNumber)
	cb, me := f.lb.lastServed(t, "/callback"), f.lb.lastServed(t, "/me")
	if cb == me {
		t.Fatalf("the callback and /me were both served by instance %d; want the other instance", cb)
	}

	// Each instance serves the user on its own, from the session in Redis.
	for i, inst := range f.instances {
		navigate(t, ctx, inst+"/me")
		waitPage(t, ctx, "Your details")
		wantText(t, ctx, "#mobile-number", shownNumber)
		if t.Failed() {
			t.Fatalf("instance %d does not serve the logged-in user", i)
		}
	}

	// The copied state cookie, replayed with the callback's state at the
	// instance that did not serve the callback: refused.
	other := f.instances[1-cb]
	restoreCookie(t, ctx, other, copied)
	navigate(t, ctx, other+"/callback?"+url.Values{"code": {"used"}, "state": {consent.Query().Get("state")}}.Encode())
	waitPage(t, ctx, "Login could not be verified")
	if !strings.Contains(string(f.logs.Bytes()), "state cookie was already used (at another instance)") {
		t.Errorf("the other instance did not refuse the replay as already used; its log:\n%s", f.logs.Bytes())
	}
	f.wantTokenRequests(t, 1)

	// Log out through the load balancer: both instances forget the user.
	navigate(t, ctx, f.appURL+"/me")
	waitPage(t, ctx, "Your details")
	clickText(t, ctx, "Log out")
	waitPage(t, ctx, "Welcome")
	for _, inst := range f.instances {
		navigate(t, ctx, inst+"/me")
		waitPage(t, ctx, "Welcome")
		wantNoSubscriberData(t, ctx, f.sub)
	}
}

// restoreCookie puts c back into the browser for url.
func restoreCookie(t testing.TB, ctx context.Context, url string, c *network.Cookie) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	httpOnly := c.HTTPOnly
	if _, err := chromedp.Call(sctx, network.SetCookie, network.SetCookieParams{
		Name: c.Name, Value: c.Value, URL: url, Path: c.Path, HTTPOnly: &httpOnly,
	}); err != nil {
		t.Fatalf("restoring the %s cookie: %v", c.Name, err)
	}
}
