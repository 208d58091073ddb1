package telenor

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/cookie"
	"github.com/telenor-go/telenor/internal/wire"
)

// The authorization-code grant with line authentication: the browser goes
// to Telenor (AuthCodeURL), the mobile network identifies the subscriber,
// the user consents, and Telenor redirects to the app's callback with a
// one-time code, which HandleCallback exchanges for a UserSession after
// checking the state. Telenor issues no usable refresh token for this flow.

// ErrMissingCode: the callback carried neither a code nor an error, so
// there is nothing to exchange (the URL was opened by hand or cut short).
// Start the flow again. It is wrapped in an *AuthError with Code
// "invalid_request".
var ErrMissingCode = errors.New("telenor: callback has no authorization code")

// NewState returns a fresh, unguessable state for one authorization
// request: 256 bits from crypto/rand, URL-safe base64 (43 characters).
// Keep it where only this browser can bring it back (see StateCookie): a
// callback is accepted only with the same state, which stops a forged
// callback from logging the user in as someone else.
func NewState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// AuthCodeOption adds to the authorization request (WithScope, WithPKCE)
// and, for WithPKCE, to the code exchange. Pass the same options to
// AuthCodeURL and to HandleCallback or Exchange: each uses the ones that
// concern it.
type AuthCodeOption struct {
	key, value string  // an authorization URL parameter
	verifier   *string // WithPKCE's; a pointer so that fmt, whatever the verb, prints its address only
}

// WithScope asks for the given scopes (sent space-separated as scope).
// Telenor documents no scope names and no product needs one. Empty scopes
// are ignored.
func WithScope(scopes ...string) AuthCodeOption {
	var kept []string
	for _, s := range scopes {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return AuthCodeOption{key: "scope", value: strings.Join(kept, " ")}
}

// WithPKCE turns on PKCE (RFC 7636, S256) for one login attempt: make a
// fresh verifier per attempt with oauth2.GenerateVerifier, keep it
// server-side with the state, and pass WithPKCE(verifier) to AuthCodeURL
// and again to HandleCallback or Exchange. Off by default: Telenor
// documents no PKCE (see docs/lineauth.md). HandleCallback and Exchange
// refuse a malformed verifier with ErrInvalidConfig before sending
// anything.
func WithPKCE(verifier string) AuthCodeOption {
	return AuthCodeOption{verifier: &verifier}
}

// pkceVerifier returns the verifier of the last WithPKCE in opts, and
// whether there is one.
func pkceVerifier(opts []AuthCodeOption) (string, bool) {
	verifier, on := "", false
	for _, o := range opts {
		if o.verifier != nil {
			verifier, on = *o.verifier, true
		}
	}
	return verifier, on
}

// AuthCodeURL returns the URL of Telenor's authorization page for state,
// where the app redirects the end user's browser. It carries client_id,
// response_type=code and state; redirect_uri only when Config.RedirectURL
// is set (Telenor takes the callback registered in its dashboard
// otherwise). state must be a fresh value from NewState: an empty state
// makes every callback fail with ErrStateMismatch.
func (c *Client) AuthCodeURL(state string, opts ...AuthCodeOption) string {
	var params []oauth2.AuthCodeOption
	for _, o := range opts {
		if o.key != "" && o.value != "" {
			params = append(params, oauth2.SetAuthURLParam(o.key, o.value))
		}
	}
	if verifier, ok := pkceVerifier(opts); ok {
		params = append(params, oauth2.S256ChallengeOption(verifier))
	}
	return c.authCode.AuthCodeURL(state, params...)
}

// HandleCallback completes the flow on the app's callback URL, reading
// only r's query. state is the value the app gave AuthCodeURL for this
// browser (StateCookie.Verify returns it); opts are the options given to
// AuthCodeURL. It returns the end user's session, or:
//
//   - ErrStateMismatch when the state is missing, repeated or not state:
//     a forged, replayed or stale callback. Nothing is exchanged.
//   - an *AuthError matching ErrAccessDenied when the user refused
//     consent, or with Telenor's error code for any other error.
//   - an *AuthError wrapping ErrMissingCode for neither code nor error.
//   - what Exchange returns, such as ErrInvalidGrant for a used code.
func (c *Client) HandleCallback(ctx context.Context, r *http.Request, state string, opts ...AuthCodeOption) (*UserSession, error) {
	if r == nil || r.URL == nil {
		return nil, ErrStateMismatch
	}
	code, err := parseCallback(r.URL.RawQuery, state)
	if err != nil {
		return nil, err
	}
	return c.Exchange(ctx, code, opts...)
}

// parseCallback checks a callback query against the expected state and
// returns its code, or the error the callback stands for. The state is
// checked first: an error callback with a wrong state is as forged as a
// code with one.
func parseCallback(rawQuery, state string) (string, error) {
	q, ok := cookie.CallbackQuery(&url.URL{RawQuery: rawQuery}, state)
	if !ok {
		return "", ErrStateMismatch
	}
	if e := q.Get("error"); e != "" || len(q["error"]) > 0 {
		return "", &AuthError{Code: oneLine(cmp.Or(e, "invalid_request")), Description: oneLine(q.Get("error_description"))}
	}
	switch codes := q["code"]; {
	case len(codes) == 0 || codes[0] == "":
		return "", &AuthError{Code: "invalid_request", Description: "the callback has neither code nor error", Err: ErrMissingCode}
	case len(codes) > 1:
		return "", &AuthError{Code: "invalid_request", Description: "the callback repeats the code parameter"}
	default:
		return codes[0], nil
	}
}

// Exchange trades an authorization code for the end user's session, for
// apps that parse the callback themselves (after checking its state!).
// The code is posted once: never retried, not even after a 5xx, a 429 or
// a dropped connection, since a code works only once. On any failure,
// send the user through the flow again; a used or expired code matches
// ErrInvalidGrant. The session never renews its token (see
// ErrReauthenticate); store UserSession.Token and restore it with
// Client.RestoreUserSession. Of opts only WithPKCE is used.
func (c *Client) Exchange(ctx context.Context, code string, opts ...AuthCodeOption) (*UserSession, error) {
	if code == "" {
		return nil, &AuthError{Code: "invalid_request", Description: "empty authorization code", Err: ErrMissingCode}
	}
	params, err := exchangeParams(opts)
	if err != nil {
		return nil, err
	}
	ctx, done := c.observeFetch(ctx, TokenFetch{Grant: GrantAuthorizationCode})
	verifier, _ := pkceVerifier(opts)
	got, err := c.retrieveToken(ctx, func(ctx context.Context) (*oauth2.Token, error) {
		return c.authCode.Exchange(ctx, code, params...)
	}, code, verifier)
	done(ctx, err)
	if err != nil {
		return nil, err
	}
	return c.newUserSession(got.Tok, got.Sent), nil
}

// exchangeParams returns the code exchange's extra parameters: the PKCE
// code_verifier, after checking its form (RFC 7636 section 4.1). The
// error never quotes the verifier.
func exchangeParams(opts []AuthCodeOption) ([]oauth2.AuthCodeOption, error) {
	verifier, ok := pkceVerifier(opts)
	const hint = "make a fresh one per login with oauth2.GenerateVerifier()"
	switch {
	case !ok:
		return nil, nil
	case len(verifier) < wire.MinPKCEVerifier || len(verifier) > wire.MaxPKCEVerifier:
		return nil, configError("WithPKCE verifier", "has %d characters, RFC 7636 needs %d to %d; %s",
			len(verifier), wire.MinPKCEVerifier, wire.MaxPKCEVerifier, hint)
	case !wire.ValidPKCEVerifier(verifier):
		return nil, configError("WithPKCE verifier", "has characters other than A-Z a-z 0-9 - . _ ~ (RFC 7636); %s", hint)
	}
	return []oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}, nil
}
