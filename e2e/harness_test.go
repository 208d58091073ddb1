package e2e

// The harness: a real headless Chromium per test, driven over the Chrome
// DevTools Protocol by chromedp, with every wait bounded, the browser always
// closed, and a screenshot plus the page's HTML saved when a test fails.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// browserPath is Debian's Chromium (package chromium).
	browserPath = "/usr/bin/chromium"

	// stepTimeout bounds every single browser step: a navigation, a click,
	// a wait for text, a screenshot.
	stepTimeout = 30 * time.Second
	// testTimeout bounds all the steps of one test together.
	testTimeout = 2 * time.Minute
	// closeTimeout bounds closing the browser, and saving the artifacts of a
	// failed test.
	closeTimeout = 30 * time.Second

	// artifactsEnv names the folder for the artifacts of failed tests. When
	// it is empty, each failed test gets a fresh folder under os.TempDir.
	artifactsEnv = "E2E_ARTIFACTS"
)

// browserFlags are the only flags given to Chromium besides --user-data-dir
// (chromedp itself adds --remote-debugging-pipe and about:blank; Debian's
// /usr/bin/chromium wrapper adds its own defaults from /etc/chromium.d). On
// this project's machines the network is closed: without the
// background-networking flags Chromium keeps trying to reach Google's hosts
// and its connections are refused.
func browserFlags() []string {
	return []string{
		"headless",
		"no-sandbox",
		"disable-gpu",
		"disable-quic",
		"no-first-run",
		"disable-background-networking",
		"disable-component-update",
		"disable-sync",
	}
}

// requireBrowser fails the test when Chromium is not installed. A missing
// browser is a failure, never a skip: CI must not go green without running
// the browser tests.
func requireBrowser(t testing.TB) {
	t.Helper()
	if err := checkBrowser(browserPath); err != nil {
		t.Fatal(err)
	}
}

// checkBrowser says why path is not a usable browser, with an install hint.
func checkBrowser(path string) error {
	fi, err := os.Stat(path)
	if err == nil && (fi.IsDir() || fi.Mode()&0o111 == 0) {
		err = errors.New("not an executable file")
	}
	if err != nil {
		return fmt.Errorf("no Chromium at %s (%v).\n"+
			"Install it with: bash .ci/e2e-deps\n"+
			"(or: apt-get update && apt-get install -y --no-install-recommends chromium)", path, err)
	}
	return nil
}

// newBrowser starts a fresh headless Chromium with an empty profile and
// returns the chromedp context of its first tab. Every action run on the
// returned context is bounded by testTimeout in total; the helpers below also
// bound each step by stepTimeout. When the test ends the browser is closed
// and its processes are gone; if the test failed, a screenshot and the HTML
// of the page are saved first (see saveArtifacts).
func newBrowser(t testing.TB) context.Context {
	ctx, _ := newBrowserDir(t)
	return ctx
}

// newBrowserDir is newBrowser that also returns the browser's user-data dir,
// which is unique to this browser and names its processes.
func newBrowserDir(t testing.TB) (context.Context, string) {
	t.Helper()
	requireBrowser(t)

	// TempDir first: cleanups run last-in first-out, so the browser is
	// gone before the testing package removes its profile.
	dir := t.TempDir()
	output := new(lockedBuffer)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browserPath),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(output),
	}
	for _, f := range browserFlags() {
		opts = append(opts, chromedp.Flag(f, true))
	}

	// The browser lives as long as tabCtx. Its root must carry no deadline
	// (chromedp binds the browser's life to the context of the first Run),
	// and must not be t.Context(), which ends before the cleanup below gets
	// the chance to save artifacts from the live page.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)

	closed := false
	closeBrowser := func() {
		if closed {
			return
		}
		closed = true
		cctx, cancel := context.WithTimeout(tabCtx, closeTimeout)
		// Graceful: Browser.close, then wait for the process to exit.
		if err := chromedp.Cancel(cctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("closing Chromium: %v", err)
		}
		cancel()
		cancelTab()
		cancelAlloc() // waits for the allocator's goroutines and the process
		if left := awaitNoProcesses(dir, 5*time.Second); len(left) > 0 {
			t.Errorf("Chromium processes %v outlived the browser; killed them", left)
		}
	}
	t.Cleanup(func() {
		if t.Failed() && tabCtx.Err() == nil {
			if where, err := saveArtifacts(tabCtx, t.Name(), output.Bytes()); err != nil {
				t.Logf("saving e2e artifacts: %v (partial artifacts: %s)", err, where)
			} else {
				t.Logf("e2e artifacts (screenshot, page HTML, browser log): %s", where)
			}
		}
		closeBrowser()
	})

	// Start the browser now, bounded: a timer cancels the allocation when
	// Chromium does not come up in time.
	startTimer := time.AfterFunc(stepTimeout, cancelAlloc)
	err := chromedp.Do(tabCtx)
	stopped := startTimer.Stop()
	if err != nil || !stopped {
		if !stopped {
			err = fmt.Errorf("Chromium did not start within %v: %w", stepTimeout, err)
		}
		closeBrowser()
		t.Fatalf("starting Chromium: %v\nbrowser output:\n%s", err, output.Bytes())
	}

	// Bound the whole test. Contexts derived after the first Run bound the
	// actions only: when the deadline passes the steps fail, the browser
	// stays up, and the cleanup can still take its screenshot.
	testCtx, cancelTest := context.WithTimeout(tabCtx, testTimeout)
	t.Cleanup(cancelTest) // runs before the browser cleanup above
	return testCtx, dir
}

// step runs one bounded step on the browser and fails the test on error.
func step(t testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// navigate opens url in the tab and waits for the page's load event.
func navigate(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	step(t, ctx, "navigate to "+url, chromedp.Navigate(url))
}

// click clicks the first visible element that matches the CSS selector,
// waiting for it to appear.
func click(t testing.TB, ctx context.Context, selector string) {
	t.Helper()
	step(t, ctx, "click "+selector, chromedp.Click(chromedp.CSS(selector)))
}

// clickText clicks the first visible button, link or submit input whose
// visible text (value, for inputs) is text, whitespace-normalized; it waits
// for such an element to appear.
func clickText(t testing.TB, ctx context.Context, text string) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("click %q", text), chromedp.Click(chromedp.JSPath(byTextJS(text))))
}

// byTextJS is a JavaScript expression that gives the clickable elements whose
// visible text is text.
func byTextJS(text string) string {
	lit, _ := json.Marshal(text) // a Go string always marshals
	return `Array.from(document.querySelectorAll(
	'button, a, input[type=submit], input[type=button], [role=button]'
)).filter(e => ((e.tagName === 'INPUT' ? e.value : e.innerText) || '')
	.replace(/\s+/g, ' ').trim() === ` + string(lit) + `.replace(/\s+/g, ' ').trim())`
}

// bodyText returns the visible text of the page (document.body.innerText).
func bodyText(t testing.TB, ctx context.Context) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	s, err := readBodyText(sctx)
	if err != nil {
		t.Fatalf("reading the page's text: %v", err)
	}
	return s
}

func readBodyText(ctx context.Context) (string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
}

// waitText waits until the page's visible text contains text, across
// navigations (a click that submits a form replaces the document; a poll
// inside the page would die with it, so this polls from Go). It returns the
// page's text.
func waitText(t testing.TB, ctx context.Context, text string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	var last string
	var lastErr error
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		s, err := readBodyText(sctx)
		if err == nil && strings.Contains(s, text) {
			return s
		}
		switch {
		case err == nil:
			last = s
		case sctx.Err() == nil:
			lastErr = err // e.g. the document went away mid-navigation
		}
		select {
		case <-sctx.Done():
			t.Fatalf("waiting for text %q: %v (last error: %v)\npage text was:\n%s", text, sctx.Err(), lastErr, last)
		case <-tick.C:
		}
	}
}

// currentURL returns the tab's current URL.
func currentURL(t testing.TB, ctx context.Context) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	u, err := chromedp.Run(sctx, chromedp.Location())
	if err != nil {
		t.Fatalf("reading the URL: %v", err)
	}
	return u
}

// screenshot returns a PNG of the whole page, beyond the viewport too.
func screenshot(t testing.TB, ctx context.Context) []byte {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("taking a screenshot: %v", err)
	}
	return png
}

// outerHTML returns the HTML of the whole document.
func outerHTML(t testing.TB, ctx context.Context) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	html, err := chromedp.Run(sctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatalf("reading the page's HTML: %v", err)
	}
	return html
}

// artifactsDir returns the folder for one failed test's artifacts: under
// $E2E_ARTIFACTS when set, else a fresh telenor-e2e-* folder in os.TempDir.
// It is not removed: it must outlive the test so a person can look.
func artifactsDir() (string, error) {
	if base := os.Getenv(artifactsEnv); base != "" {
		if err := os.MkdirAll(base, 0o755); err != nil {
			return "", err
		}
		return base, nil
	}
	return os.MkdirTemp("", "telenor-e2e-*")
}

// fileName makes a test name (with its subtest slashes) a safe file name.
func fileName(testName string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '_'
	}, testName)
}

// saveArtifacts writes NAME.png (full-page screenshot), NAME.html (the page's
// outer HTML, with its URL in a comment on top) and NAME.browser.log
// (Chromium's output) into the artifacts folder, and returns the folder. It
// saves what it can: one failing part does not stop the others.
func saveArtifacts(ctx context.Context, testName string, browserLog []byte) (string, error) {
	dir, err := artifactsDir()
	if err != nil {
		return "", err
	}
	base := filepath.Join(dir, fileName(testName))
	ctx, cancel := context.WithTimeout(ctx, closeTimeout)
	defer cancel()

	var errs []error
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		errs = append(errs, fmt.Errorf("screenshot: %w", err))
	} else if err := os.WriteFile(base+".png", png, 0o644); err != nil {
		errs = append(errs, err)
	}
	url, _ := chromedp.Run(ctx, chromedp.Location())
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err != nil {
		errs = append(errs, fmt.Errorf("outer HTML: %w", err))
	} else {
		// "--" cannot appear inside an HTML comment.
		head := "<!-- " + strings.ReplaceAll(url, "--", "%2D%2D") + " -->\n"
		if err := os.WriteFile(base+".html", []byte(head+html), 0o644); err != nil {
			errs = append(errs, err)
		}
	}
	if err := os.WriteFile(base+".browser.log", browserLog, 0o644); err != nil {
		errs = append(errs, err)
	}
	return dir, errors.Join(errs...)
}

// browserProcesses returns the PIDs of the processes started with
// --user-data-dir=dir. Chromium passes that flag to all its children, and dir
// is unique to one browser, so this finds exactly one browser's processes.
func browserProcesses(dir string) []int {
	want := []byte("--user-data-dir=" + dir)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue // gone already
		}
		for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
			if bytes.Equal(arg, want) {
				if !isZombie(pid) {
					pids = append(pids, pid)
				}
				break
			}
		}
	}
	return pids
}

// isZombie reports whether pid has exited and waits only to be reaped.
func isZombie(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // gone
	}
	// pid (comm) S ...: comm may hold spaces and parentheses; the state
	// follows the last ')'.
	i := bytes.LastIndexByte(stat, ')')
	return i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z'
}

// awaitNoProcesses waits up to grace for the browser's processes to exit by
// themselves, then kills any that are left and returns their PIDs (nil when
// the browser had ended cleanly).
func awaitNoProcesses(dir string, grace time.Duration) []int {
	deadline := time.Now().Add(grace)
	for {
		left := browserProcesses(dir)
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			for _, pid := range left {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			return left
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lockedBuffer collects Chromium's output, which chromedp writes from its
// own goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}
