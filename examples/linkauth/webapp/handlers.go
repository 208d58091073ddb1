package webapp

import (
	"errors"
	"net/http"

	"github.com/telenor-go/telenor"
)

// home serves the start page: the "Log in with your mobile" button, or,
// for a logged-in user, a link to their details and the Log out button.
// It calls no Telenor API: a revoked token shows when /me is opened.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	_, loggedIn := a.sessions.token(r.Context())
	a.render(w, http.StatusOK, "home", homePage{LoggedIn: loggedIn})
}

// login starts a login attempt: it sets the state cookie and redirects the
// browser to Telenor's authorization page.
//
// The http-initiating-page pitfall: Telenor identifies the subscriber from
// the mobile network, and the page that starts network authentication
// must be served over plain http. Everything else stays https: the
// callback, the API calls and the SDK's endpoints (NewClient refuses
// non-loopback http for those). So in production serve / and /login on
// http:// and /callback and /me on https://. Browsers drop a Secure
// cookie set by an http page, so the state cookie must not be Secure on
// this page: New sets StateCookie.AllowPlainHTTP. Without it every
// callback would fail with ErrStateMismatch. The session cookie, set by
// /callback, stays Secure unless Config.PlainHTTP says otherwise.
//
// GET (a link, or a redirect back after ErrReauthenticate) and POST (the
// start page's button) both work.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	state, err := a.states.Issue(w, r)
	if err != nil {
		a.log.Error("linkauth: issuing state cookie", "err", err)
		http.Error(w, "cannot start login", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, a.cli.AuthCodeURL(state), http.StatusSeeOther)
}

// callback is where Telenor sends the browser back: it checks the state,
// exchanges the code and starts the app's session.
func (a *app) callback(w http.ResponseWriter, r *http.Request) {
	state, err := a.states.Verify(w, r)
	if err != nil {
		a.loginFailed(w, err)
		return
	}
	user, err := a.cli.HandleCallback(r.Context(), r, state)
	if err != nil {
		a.loginFailed(w, err)
		return
	}
	tok, err := user.Token(r.Context())
	if err == nil {
		err = a.sessions.start(r.Context(), tok)
	}
	if err != nil {
		a.loginFailed(w, err)
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// loginFailed explains a failed callback to the user in plain words; the
// OAuth details (error code, Telenor's description) go to the log only.
func (a *app) loginFailed(w http.ResponseWriter, err error) {
	a.log.Info("linkauth: login failed", "err", err) // SDK errors never hold secrets
	switch {
	case errors.Is(err, telenor.ErrStateMismatch):
		a.problem(w, http.StatusBadRequest, problemPage{
			Title:   "Login could not be verified",
			Message: "This login was not started in this browser, was already used, or took too long. Nothing was shared with the app. Please start again.",
		})
	case errors.Is(err, telenor.ErrAccessDenied):
		a.problem(w, http.StatusForbidden, problemPage{
			Title:   "Login cancelled",
			Message: "You chose not to share your information with this app, so you are not logged in. Nothing was shared.",
		})
	default:
		a.problem(w, http.StatusBadGateway, problemPage{
			Title:   "Login failed",
			Message: "Telenor could not complete the login. Please try again.",
		})
	}
}

// me shows the subscriber's details, or sends a browser with no live
// session to the start page.
func (a *app) me(w http.ResponseWriter, r *http.Request) {
	tok, ok := a.sessions.token(r.Context())
	if !ok {
		a.logOut(w, r)
		return
	}
	page, err := profile(r, a.cli.RestoreUserSession(tok))
	switch {
	case errors.Is(err, telenor.ErrReauthenticate):
		// The token expired or was revoked: the user must log in again.
		a.logOut(w, r)
	case err != nil:
		a.log.Warn("linkauth: Mobile User API failed", "err", err)
		a.problem(w, http.StatusBadGateway, problemPage{
			Title:   "Telenor is not answering",
			Message: "Your details could not be fetched just now. Please try again in a moment.",
		})
	default:
		a.render(w, http.StatusOK, "me", page)
	}
}

// logout logs the user's token out at Telenor, forgets the session and
// returns to the start page. A failed logout at Telenor is logged; the
// app forgets the session anyway.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	if tok, ok := a.sessions.token(r.Context()); ok {
		if err := a.cli.RestoreUserSession(tok).Logout(r.Context()); err != nil {
			a.log.Warn("linkauth: logout at Telenor failed", "err", err)
		}
	}
	a.logOut(w, r)
}

// logOut ends the browser's session, in the store too (so at every
// instance), clears its cookie and returns to the start page.
func (a *app) logOut(w http.ResponseWriter, r *http.Request) {
	if err := a.sessions.Destroy(r.Context()); err != nil {
		a.log.Warn("linkauth: ending the session failed", "err", err)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
