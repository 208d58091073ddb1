// Package webapp is the web app of the linkauth example: "Log in with your
// mobile" (Telenor line authentication) in a few net/http handlers.
//
// Routes:
//
//	GET  /          start page: "Log in with your mobile", or, when logged
//	                in, a link to /me and "Log out"
//	GET  /style.css the pages' stylesheet (mobile first, embedded)
//	GET|POST /login starts a login attempt: state cookie, then redirect to Telenor
//	GET  /callback  Telenor sends the browser back here (register this URL)
//	GET  /me        the subscriber's name, mobile number and device
//	POST /logout    logs out at Telenor and forgets the session
//
// Logged-in users are scs sessions (github.com/alexedwards/scs) under a
// random session cookie, holding the user's token, sealed, and restored
// into a telenor session on every request. By default they live in this
// process's memory; with Config.SessionStore (Redis) and
// Config.ReplayGuard (redisstore), several instances behind a load
// balancer serve any user, and a logout at one is a logout at all.
//
// To run it against the fake gateway on loopback (as `linkauth -fake` and
// the tests do), start the app's listener first, because the fake redirects
// only to the callback registered with it:
//
//	app := httptest.NewUnstartedServer(nil)
//	gw := telenortest.NewServer(telenortest.WithRedirectURL("http://" + app.Listener.Addr().String() + "/callback"))
//	cli, _ := telenor.NewClient(telenor.Config{ClientID: telenortest.DefaultClientID,
//		ClientSecret: telenortest.DefaultClientSecret, BaseURL: gw.URL, HTTPClient: gw.Client()})
//	app.Config.Handler, _ = webapp.New(webapp.Config{Client: cli, StateKey: key})
//	app.Start()
//
// Pages and their stable element ids: every page's #title; the start
// page's button #login ("Log in with your mobile") or, when logged in, the
// link #details and the button #logout; /me's #name, #mobile-number
// ("+47 900 12 345"), #device-manufacturer, #device-model, #capabilities
// and the button #logout ("Log out"); problem pages' #title ("Login
// cancelled", "Login could not be verified", "Login failed"), #problem (in
// plain words; OAuth details go to the log) and the link #try-again.
package webapp

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/telenor-go/telenor"
)

// DefaultSessionLifetime is how long a logged-in session lasts unless
// Config.SessionLifetime says otherwise. The user's token may expire
// sooner; /me then sends the user back to the start page.
const DefaultSessionLifetime = 30 * time.Minute

// Config configures the web app.
type Config struct {
	// Client talks to Telenor. Its redirect URL (Config.RedirectURL, or
	// the callback registered in Telenor's dashboard) must be this app's
	// /callback. Required.
	Client *telenor.Client
	// StateKey signs the login-attempt cookie (telenor.StateCookie) and
	// encrypts the sessions at rest: at least 32 random bytes, secret, the
	// same on every instance. Required.
	StateKey []byte
	// SessionStore keeps the sessions, for example
	// github.com/alexedwards/scs/goredisstore on a Redis that every
	// instance shares. Default: this process's memory.
	SessionStore scs.Store
	// ReplayGuard makes each login's state single-use across every
	// instance (redisstore.Store is one). Default: per process.
	ReplayGuard telenor.ReplayGuard
	// SessionLifetime is how long a login lasts in this app. Default
	// DefaultSessionLifetime.
	SessionLifetime time.Duration
	// PlainHTTP drops Secure (and the "__Host-" prefix) from the session
	// cookie, for browsers that reach /callback and /me over plain http on
	// a host other than loopback, such as a phone testing a laptop over
	// Wi-Fi. Leave it false in production, where those pages are https
	// (behind a TLS-terminating proxy too: the request is never asked).
	// Browsers accept Secure cookies from http://127.0.0.1 and localhost.
	PlainHTTP bool
	// Logger receives the app's diagnostics; nil logs nothing. No token,
	// code, state or cookie is ever logged.
	Logger *slog.Logger
}

// app holds the handlers' shared state; every field is safe for
// concurrent use.
type app struct {
	cli      *telenor.Client
	states   *telenor.StateCookie
	sessions sessions
	pages    *template.Template
	log      *slog.Logger
}

// New returns the web app's handler, serving the routes listed in the
// package comment.
func New(cfg Config) (http.Handler, error) {
	if cfg.Client == nil {
		return nil, errors.New("webapp: Config.Client is required")
	}
	states, err := telenor.NewStateCookie(cfg.StateKey)
	if err != nil {
		return nil, err
	}
	// Line authentication must start from a plain-http page; see login.
	// This is configuration, not the request's guess: always so here.
	states.AllowPlainHTTP = true
	states.ReplayGuard = cfg.ReplayGuard
	lifetime := cfg.SessionLifetime
	if lifetime <= 0 {
		lifetime = DefaultSessionLifetime
	}
	sess, err := newSessions(cfg, lifetime)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &app{
		cli:      cfg.Client,
		states:   states,
		sessions: sess,
		pages:    parsePages(),
		log:      log,
	}
	return a.routes(), nil
}

// routes maps each route to its handler. ServeMux answers 405 to other
// methods and 404 to other paths.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /style.css", a.style)
	mux.HandleFunc("GET /login", a.login)
	mux.HandleFunc("POST /login", a.login)
	mux.HandleFunc("GET /callback", a.callback)
	mux.HandleFunc("GET /me", a.me)
	mux.HandleFunc("POST /logout", a.logout)
	return a.sessions.LoadAndSave(mux)
}
