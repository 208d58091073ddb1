package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"

	"github.com/telenor-go/telenor"
)

// callbackApp is the smallest web app that does line authentication:
// /login starts it, /callback finishes it and hands the user's Session
// over. examples/linkauth is the full version.
type callbackApp struct {
	cli    *telenor.Client
	states *telenor.StateCookie
	done   chan loginResult // one login: buffered, capacity 1
}

type loginResult struct {
	user *telenor.UserSession
	err  error
}

func (a *callbackApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/login":
		state, err := a.states.Issue(w, r)
		if err != nil {
			http.Error(w, "cannot start login", http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, a.cli.AuthCodeURL(state), http.StatusSeeOther)
	case "/callback":
		user, err := a.finish(w, r)
		select {
		case a.done <- loginResult{user, err}:
		default: // a second callback: only the first counts
		}
		if err != nil {
			http.Error(w, "login failed", http.StatusForbidden)
			return
		}
		_, _ = io.WriteString(w, "logged in")
	default:
		http.NotFound(w, r)
	}
}

// finish checks the state cookie and exchanges the callback's code.
func (a *callbackApp) finish(w http.ResponseWriter, r *http.Request) (*telenor.UserSession, error) {
	state, err := a.states.Verify(w, r)
	if err != nil {
		return nil, err
	}
	return a.cli.HandleCallback(r.Context(), r, state)
}

// logIn serves callbackApp on app and plays the browser: a client with a
// cookie jar that follows the redirects from /login through the fake's
// (auto-approving) consent step back to /callback.
func logIn(ctx context.Context, cli *telenor.Client, app *httptest.Server) (*telenor.UserSession, error) {
	key := make([]byte, 32) // in a real app: a secret shared by every instance
	_, _ = rand.Read(key)
	states, err := telenor.NewStateCookie(key)
	if err != nil {
		return nil, err
	}
	a := &callbackApp{cli: cli, states: states, done: make(chan loginResult, 1)}
	app.Config.Handler = a
	app.Start()
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	browser := &http.Client{Jar: jar, Transport: app.Client().Transport}
	visitErr := visit(ctx, browser, app.URL+"/login")
	select {
	case res := <-a.done:
		return res.user, res.err
	default:
		if visitErr != nil {
			return nil, visitErr
		}
		return nil, errors.New("the browser never reached the callback")
	}
}

// visit makes the browser open url and follow redirects to the end.
func visit(ctx context.Context, browser *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := browser.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", resp.Request.URL.Path, resp.Status)
	}
	return nil
}
