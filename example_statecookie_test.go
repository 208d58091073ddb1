package telenor_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/telenor-go/telenor"
)

func ExampleStateCookie() {
	key := make([]byte, 32) // in production: a secret shared by every instance
	_, _ = rand.Read(key)
	sc, err := telenor.NewStateCookie(key)
	if err != nil {
		fmt.Println(err)
		return
	}

	// GET /login: set the cookie, then redirect to cli.AuthCodeURL(state).
	w := httptest.NewRecorder()
	state, err := sc.Issue(w, httptest.NewRequest(http.MethodGet, "https://app.example/login", nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	cookie := w.Result().Cookies()[0]
	fmt.Println(cookie.Name, cookie.HttpOnly, cookie.Secure, cookie.SameSite == http.SameSiteLaxMode)

	// GET /callback: the browser brings the cookie back with Telenor's answer.
	callback := httptest.NewRequest(http.MethodGet, "https://app.example/callback?code=c&state="+state, nil)
	callback.AddCookie(cookie)
	got, err := sc.Verify(httptest.NewRecorder(), callback) // then cli.HandleCallback(ctx, callback, got)
	fmt.Println(got == state, err)

	// The same cookie again (a replay, or the back button) is refused.
	_, err = sc.Verify(httptest.NewRecorder(), callback)
	fmt.Println(errors.Is(err, telenor.ErrStateMismatch))
	// Output:
	// __Host-telenor_state true true true
	// true <nil>
	// true
}
