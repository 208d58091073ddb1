package e2e

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// twoPageSite is a tiny site on loopback: "/" has a form whose button POSTs
// a name to "/greet", which answers with a second page. It records the
// names it was POSTed, so a test can tell that the browser really submitted.
type twoPageSite struct {
	mu     sync.Mutex
	posted []string
}

func (s *twoPageSite) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html>
<html><head><title>Start</title></head><body>
<h1>Start page</h1>
<form method="post" action="/greet">
  <input type="hidden" name="who" value="Kari Nordmann">
  <button type="submit" id="go">Say   hello</button>
</form>
<a href="/elsewhere">A link that must not be clicked</a>
</body></html>`)
	})
	mux.HandleFunc("POST /greet", func(w http.ResponseWriter, r *http.Request) {
		who := r.PostFormValue("who")
		s.mu.Lock()
		s.posted = append(s.posted, who)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html>
<html><head><title>Second</title></head><body style="background:#dff">
<h1>Second page</h1><p id="greeting">Hello, %s!</p>
</body></html>`, html.EscapeString(who))
	})
	return mux
}

func (s *twoPageSite) postedNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.posted...)
}

// startSite serves site on a loopback port until the test ends.
func startSite(t testing.TB, site *twoPageSite) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(site.handler()) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowserClicksThroughLocalPage(t *testing.T) {
	site := new(twoPageSite)
	srv := startSite(t, site)
	ctx := newBrowser(t)

	navigate(t, ctx, srv.URL+"/")
	if got := bodyText(t, ctx); !strings.Contains(got, "Start page") {
		t.Fatalf("start page text = %q, want it to contain %q", got, "Start page")
	}
	clickText(t, ctx, "Say hello") // whitespace-normalized match
	got := waitText(t, ctx, "Second page")

	if !strings.Contains(got, "Hello, Kari Nordmann!") {
		t.Errorf("second page text = %q, want the greeting", got)
	}
	if u := currentURL(t, ctx); u != srv.URL+"/greet" {
		t.Errorf("URL after the click = %q, want %q", u, srv.URL+"/greet")
	}
	if p := site.postedNames(); len(p) != 1 || p[0] != "Kari Nordmann" {
		t.Errorf("server got POSTs %q, want exactly one with Kari Nordmann", p)
	}
}

func TestBrowserClickBySelectorAndScreenshot(t *testing.T) {
	site := new(twoPageSite)
	srv := startSite(t, site)
	ctx := newBrowser(t)

	navigate(t, ctx, srv.URL+"/")
	click(t, ctx, "form button#go")
	waitText(t, ctx, "Hello, Kari Nordmann!")

	shot := screenshot(t, ctx)
	if len(shot) == 0 {
		t.Fatal("screenshot is empty")
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() == 0 || b.Dy() == 0 {
		t.Fatalf("screenshot has size %v, want non-zero", b.Size())
	}
	// The page's background is #dff; the screenshot must show the page,
	// not a blank surface.
	r, g, b, _ := img.At(5, 5).RGBA()
	if r>>8 != 0xdd || g>>8 != 0xff || b>>8 != 0xff {
		t.Errorf("pixel (5,5) = #%02x%02x%02x, want the page's background #ddffff", r>>8, g>>8, b>>8)
	}

	if h := outerHTML(t, ctx); !strings.Contains(h, `id="greeting"`) {
		t.Errorf("outer HTML lacks the greeting element:\n%s", h)
	}
}

// TestFailureArtifacts checks the code that runs when a test fails: it saves
// a decodable PNG, the page's HTML and the browser's log.
func TestFailureArtifacts(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(artifactsEnv, dir)
	site := new(twoPageSite)
	srv := startSite(t, site)
	ctx := newBrowser(t)
	navigate(t, ctx, srv.URL+"/")

	where, err := saveArtifacts(ctx, t.Name()+"/sub test", []byte("log line\n"))
	if err != nil {
		t.Fatal(err)
	}
	if where != dir {
		t.Errorf("artifacts went to %s, want $%s = %s", where, artifactsEnv, dir)
	}
	base := filepath.Join(dir, "TestFailureArtifacts_sub_test")
	shot, err := os.ReadFile(base + ".png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(shot)); err != nil {
		t.Errorf("saved screenshot is not a PNG: %v", err)
	}
	page, err := os.ReadFile(base + ".html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Start page") || !strings.Contains(string(page), srv.URL) {
		t.Errorf("saved HTML lacks the page or its URL:\n%s", page)
	}
	if l, err := os.ReadFile(base + ".browser.log"); err != nil || string(l) != "log line\n" {
		t.Errorf("browser log = %q, %v", l, err)
	}
}

// TestBrowserIsGoneAfterTest checks that the cleanup of newBrowser leaves no
// Chromium process behind.
func TestBrowserIsGoneAfterTest(t *testing.T) {
	var dir string
	t.Run("browse", func(t *testing.T) {
		var ctx context.Context
		ctx, dir = newBrowserDir(t)
		navigate(t, ctx, "about:blank")
		if len(browserProcesses(dir)) == 0 {
			t.Fatal("found no Chromium process for the live browser; the check below would prove nothing")
		}
	})
	if left := browserProcesses(dir); len(left) != 0 {
		t.Errorf("Chromium processes %v outlived the test", left)
	}
}

func TestClickTextMatchesOnlyClickables(t *testing.T) {
	srv := startSite(t, new(twoPageSite))
	ctx := newBrowser(t)
	navigate(t, ctx, srv.URL+"/")
	// "Start page" is a heading, not a button or link: clickText must not
	// find it. Probe with the JS lookup directly rather than waiting for the
	// step timeout.
	n := countJS(t, ctx, byTextJS("Start page"))
	if n != 0 {
		t.Errorf("clickable elements with text %q = %d, want 0", "Start page", n)
	}
	if n := countJS(t, ctx, byTextJS("A link that must not be clicked")); n != 1 {
		t.Errorf("links found by text = %d, want 1", n)
	}
}

// countJS evaluates a JavaScript expression that gives an array and returns
// its length.
func countJS(t testing.TB, ctx context.Context, expr string) int {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	n, err := chromedp.Run(sctx, chromedp.Evaluate[int]("("+expr+").length"))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return n
}

func TestCheckBrowserExplainsMissingBrowser(t *testing.T) {
	if err := checkBrowser(browserPath); err != nil {
		t.Errorf("checkBrowser(%s) = %v, want nil on a machine that runs these tests", browserPath, err)
	}
	for _, path := range []string{filepath.Join(t.TempDir(), "no-such-chromium"), t.TempDir()} {
		err := checkBrowser(path)
		if err == nil || !strings.Contains(err.Error(), ".ci/e2e-deps") || !strings.Contains(err.Error(), "apt-get install") {
			t.Errorf("checkBrowser(%s) = %v, want an error with the install hint", path, err)
		}
	}
}
