package telenor

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/wire"
)

// The authorization-code grant with line authentication: the browser goes
// to Telenor (AuthCodeURL), the mobile network identifies the subscriber,
// the user consents, and Telenor redirects to the app's callback with a
// one-time code and the app's state, which HandleCallback checks before it
// exchanges the code for a UserSession. Telenor issues no usable refresh
// token for this flow: when the token expires the user logs in again.

// ErrMissingCode: the callback carried neither a code nor an error, so
// there is nothing to exchange. It usually means the callback URL was
// opened by hand or cut short. Start the flow again. It is wrapped in an
// *AuthError with Code "invalid_request".
var ErrMissingCode = errors.New("telenor: callback has no authorization code")

// stateBytes is the entropy of NewState: 256 bits.
const stateBytes = 32

// NewState returns a fresh, unguessable state for one authorization
// request: 256 bits from crypto/rand, URL-safe base64 without padding
// (43 characters). Use a new state for every login attempt and keep it
// where only this browser can bring it back (see StateCookie); the
// callback is accepted only when it carries the same state, which is what
// stops a forged callback from logging the user in as someone else.
func NewState() string {
	b := make([]byte, stateBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// AuthCodeOption adds to the authorization request (WithScope, WithPKCE)
// and, for WithPKCE, to the code exchange. Pass the same options to
// AuthCodeURL and to HandleCallback or Exchange: each uses the ones that
// concern it (the exchange uses only WithPKCE).
type AuthCodeOption struct {
	key, value string  // an authorization URL parameter
	verifier   *string // WithPKCE's; a pointer to a string so that fmt, whatever the verb, prints its address only
}

// WithScope asks for the given scopes (sent space-separated as scope).
// Telenor documents no scope names and no product needs one; use it only
// when Telenor has told you a scope for your app. Empty scopes are ignored.
func WithScope(scopes ...string) AuthCodeOption {
	var kept []string
	for _, s := range scopes {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return AuthCodeOption{key: "scope", value: strings.Join(kept, " ")}
}

// WithPKCE turns on PKCE (RFC 7636) with the S256 method for one login
// attempt. Make a fresh verifier per attempt with oauth2.GenerateVerifier
// (golang.org/x/oauth2), keep it server-side with the attempt's state
// (never in the URL), and pass WithPKCE(verifier) to AuthCodeURL, which
// then sends code_challenge and code_challenge_method=S256, and again to
// HandleCallback or Exchange, which then sends code_verifier. A stolen or
// injected code is then useless without the verifier.
//
// PKCE is off by default: Telenor documents no PKCE for api.telenor.no,
// and whether its gateway checks, ignores or refuses it is unknown. Try it
// against Telenor's test environment before relying on it. telenortest
// enforces it whenever a challenge is sent.
//
// A verifier must be 43 to 128 characters from A-Z, a-z, 0-9, "-", ".",
// "_" and "~". AuthCodeURL cannot report a malformed one; HandleCallback
// and Exchange refuse it with an error matching ErrInvalidConfig before
// sending anything.
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
// where the app redirects the end user's browser (303 See Other or 302).
// It carries client_id, response_type=code and state; redirect_uri only
// when Config.RedirectURL is set (Telenor takes the callback registered in
// its dashboard otherwise); scope only with WithScope; code_challenge and
// code_challenge_method=S256 only with WithPKCE.
//
// state must be a fresh value from NewState: an empty state makes every
// callback fail with ErrStateMismatch.
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

// HandleCallback completes the flow on the app's callback URL. state is
// the value the app gave AuthCodeURL for this browser (StateCookie.Verify
// returns it). opts are the options given to AuthCodeURL for this
// attempt; only WithPKCE matters here. It returns the end user's session,
// or:
//
//   - ErrStateMismatch when the callback's state is missing, repeated or
//     not state (or state is empty). Nothing is exchanged: the callback is
//     forged, replayed or from another login attempt.
//   - an *AuthError matching ErrAccessDenied when the user refused consent;
//     its Description is Telenor's error_description, fit to show the user.
//   - an *AuthError with Telenor's error code for any other error.
//   - an *AuthError wrapping ErrMissingCode when there is neither a code
//     nor an error.
//   - what Exchange returns, for example ErrInvalidGrant for a code that
//     was already used or has expired.
//
// Only the URL's query is read; the request body is left alone.
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
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		// A malformed query may still hold usable parts; only a clean
		// parse is trusted.
		return "", ErrStateMismatch
	}
	got := q["state"]
	if len(got) != 1 || !sameState(got[0], state) {
		return "", ErrStateMismatch
	}
	if e := q.Get("error"); e != "" || len(q["error"]) > 0 {
		return "", &AuthError{
			Code:        oneLine(cmp.Or(e, "invalid_request")),
			Description: oneLine(q.Get("error_description")),
		}
	}
	codes := q["code"]
	switch {
	case len(codes) == 0 || codes[0] == "":
		return "", &AuthError{Code: "invalid_request", Description: "the callback has neither code nor error", Err: ErrMissingCode}
	case len(codes) > 1:
		return "", &AuthError{Code: "invalid_request", Description: "the callback repeats the code parameter"}
	}
	return codes[0], nil
}

// sameState compares two states in constant time. Hashing first makes the
// time independent of the lengths too. An empty expected state never
// matches: a caller that lost its state must fail closed.
func sameState(got, want string) bool {
	if want == "" || got == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// Exchange trades an authorization code for the end user's session, for
// apps that parse the callback themselves (after checking its state!).
// The code is posted once to Endpoint.TokenURL with the app's credentials
// as HTTP Basic, through x/oauth2. It is never sent twice, not even after
// a 5xx, a 429 or a dropped connection: a code works only once, so a
// second try cannot succeed and could even revoke what the first issued.
// On any failure, send the user through the flow again.
//
// A used or expired code gives an *AuthError matching ErrInvalidGrant.
// The session's token expires expires_in after the request was sent; the
// session never renews it (see ErrReauthenticate). Store the token from
// UserSession.Token in the app's own session store if needed, and restore
// it with Client.RestoreUserSession.
//
// With WithPKCE among opts the code_verifier is sent too (see WithPKCE);
// other options are ignored, so the ones given to AuthCodeURL can be
// passed unchanged.
func (c *Client) Exchange(ctx context.Context, code string, opts ...AuthCodeOption) (*UserSession, error) {
	if code == "" {
		return nil, &AuthError{Code: "invalid_request", Description: "empty authorization code", Err: ErrMissingCode}
	}
	params, err := exchangeParams(opts)
	if err != nil {
		return nil, err
	}
	report := TokenFetch{Grant: GrantAuthorizationCode}
	ctx, start := fetchStart(c.observer, ctx, report)
	got, err := c.retrieveToken(ctx, func(ctx context.Context) (*oauth2.Token, error) {
		return c.authCode.Exchange(ctx, code, params...)
	})
	fetchEnd(c.observer, ctx, report, start, err)
	if err != nil {
		return nil, err
	}
	return c.newUserSession(got.tok, got.sent), nil
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
