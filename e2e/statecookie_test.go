package e2e

import (
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/telenor-go/telenor"
)

// TestStateCookieDefaultsWorkOnLoopbackHTTP: StateCookie's defaults (a
// Secure cookie named with the __Host- prefix) must work for a developer
// serving the app over plain http on 127.0.0.1, because Chromium treats
// loopback as a secure origin: /login sets the cookie and /callback (here
// reached straight from /login, without Telenor) verifies it.
func TestStateCookieDefaultsWorkOnLoopbackHTTP(t *testing.T) {
	sc, err := telenor.NewStateCookie([]byte(rand.Text() + rand.Text()))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		state, err := sc.Issue(w, r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/callback?state="+state, http.StatusSeeOther)
	})
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) {
		if _, err := sc.Verify(w, r); err != nil {
			http.Error(w, "state cookie refused: "+err.Error(), http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, "state cookie verified")
	})
	app := httptest.NewServer(mux) // http://127.0.0.1:PORT
	t.Cleanup(app.Close)

	ctx := newBrowser(t)
	navigate(t, ctx, app.URL+"/login")
	if got := waitText(t, ctx, "state cookie"); got != "state cookie verified" {
		t.Errorf("the callback answered %q", got)
	}
}
