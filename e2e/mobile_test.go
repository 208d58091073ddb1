package e2e

// Mobile-first checks: line authentication works on a phone on mobile data,
// so the linkauth pages (and the fake consent page between them) are tested
// in a phone-sized, mobile-mode Chromium.

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

const (
	// phoneWidth and phoneHeight are a current phone's viewport in CSS
	// pixels (iPhone 12 to 15).
	phoneWidth, phoneHeight = 390, 844
	// minTouchTarget is the smallest comfortable touch target in CSS
	// pixels, as Apple's and the WCAG's (2.5.5) guidelines say.
	minTouchTarget = 44
)

// newPhone is newBrowser with its tab emulating a phone: 390×844, at
// twice the pixel density, in mobile mode (where, as on a real phone, a
// page without a viewport tag is laid out 980 px wide and shrunk), with
// touch. The emulation lasts across navigations.
func newPhone(t testing.TB) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	step(t, ctx, "emulate a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait, chromedp.EmulateScale(2)))
	return ctx
}

// mobileLayout is what a page looks like on the phone, measured in it.
type mobileLayout struct {
	Viewport    string   `json:"viewport"`    // the viewport tag's content
	Width       int      `json:"width"`       // the layout viewport's width
	ScrollWidth int      `json:"scrollWidth"` // the document's width
	Targets     int      `json:"targets"`     // buttons, links and inputs shown
	Small       []string `json:"small"`       // those below minTouchTarget
}

// measureLayoutJS is a JavaScript function that measures the page for
// mobileLayout; its argument is the smallest touch target.
const measureLayoutJS = `((minTarget) => {
	const vp = document.querySelector('meta[name="viewport"]');
	const targets = Array.from(document.querySelectorAll(
		'a[href], button, input:not([type=hidden]), select, textarea, [role=button]'))
		.map(e => [e, e.getBoundingClientRect()])
		.filter(([e, r]) => r.width > 0 && r.height > 0);
	return {
		viewport: vp ? vp.content : '',
		width: document.documentElement.clientWidth,
		scrollWidth: document.documentElement.scrollWidth,
		targets: targets.length,
		small: targets.filter(([e, r]) => r.width < minTarget || r.height < minTarget)
			.map(([e, r]) => e.outerHTML.slice(0, 100) + ' is ' +
				Math.round(r.width) + '×' + Math.round(r.height) + ' px'),
	};
})`

// wantMobileFirst checks the page in the tab (opened with newPhone): it
// has a viewport tag that the phone honours (the page is laid out at the
// phone's width, and nothing is wider), and every button, link and input
// is a touch target at least minTouchTarget px tall and wide.
func wantMobileFirst(t testing.TB, ctx context.Context) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	got, err := chromedp.Run(sctx, chromedp.Evaluate[mobileLayout](measureLayoutJS+"("+strconv.Itoa(minTouchTarget)+")"))
	if err != nil {
		t.Fatalf("measuring the page: %v", err)
	}
	page := currentURL(t, ctx)
	if got.Viewport != "width=device-width, initial-scale=1" {
		t.Errorf("%s: viewport tag %q, want \"width=device-width, initial-scale=1\"", page, got.Viewport)
	}
	if got.Width != phoneWidth || got.ScrollWidth > got.Width {
		t.Errorf("%s: laid out %d px wide with content %d px wide on a %d px phone", page, got.Width, got.ScrollWidth, phoneWidth)
	}
	if got.Targets == 0 {
		t.Errorf("%s: no button or link to measure", page)
	}
	for _, s := range got.Small {
		t.Errorf("%s: touch target smaller than %d×%d px: %s", page, minTouchTarget, minTouchTarget, s)
	}
}
