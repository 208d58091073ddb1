package telenortest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/telenor-go/telenor/internal/wire"
)

// Line authentication: GET AuthPath checks the request and shows the
// consent page (consent.go) or answers at once; an approval issues a
// single-use code, which the authorization_code grant turns into a token
// for the subscriber.

// defaultCodeLifetime is how long an authorization code can be exchanged
// unless [WithCodeLifetime] says otherwise: short, so that a leaked
// callback URL is soon worthless.
const defaultCodeLifetime = 60 * time.Second

// pendingLifetime bounds how long a consent page can wait for its answer.
const pendingLifetime = 10 * time.Minute

// deniedDescription is the error_description Telenor documents for a user
// who refuses consent.
const deniedDescription = "The resource owner denied the request"

// WithRedirectURL registers the app's callback URL, as the Telenor
// dashboard does: an absolute http(s) URL without a fragment. The
// authorization endpoint redirects only there. It answers with an error
// page, and redirects nowhere, when no callback is registered or when the
// request's redirect_uri is not exactly this URL. A code requested with a
// redirect_uri is exchanged only with the identical redirect_uri (RFC 6749
// section 4.1.3).
func WithRedirectURL(callback string) Option {
	return func(o *options) { o.redirectURL = callback }
}

// WithCodeLifetime sets how long an authorization code can be exchanged
// (default 60 seconds). Zero or negative lifetimes issue codes that have
// already expired.
func WithCodeLifetime(d time.Duration) Option {
	return func(o *options) { o.codeLifetime = d }
}

// authzState is the authorization endpoint's memory. Its zero value is
// ready to use.
type authzState struct {
	consent atomic.Int32 // a Consent set by SetConsent; 0 means the option's
	pending singleUse    // consent pages shown, by request id
	codes   singleUse    // codes issued, by code
}

// authRequest is one authorization request: who asked, where the answer
// goes, and whose line was identified.
type authRequest struct {
	ClientID    string
	State       string
	Callback    string // where the browser is sent back
	RedirectURI string // the redirect_uri the request carried, if any
	Challenge   string // the PKCE S256 code_challenge, if any
	Subject     string // the subscriber's mobile number
	Expires     time.Time
}

// singleUse keeps requests under random ids, each of which works once
// and only until its request expires. Its zero value is ready to use.
type singleUse struct {
	mu sync.Mutex
	m  map[string]authRequest
}

// put records req under a new random id and returns the id, forgetting
// expired entries on the way.
func (u *singleUse) put(req authRequest) string {
	id := randomHex(32)
	now := time.Now()
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[string]authRequest{}
	}
	for k, v := range u.m {
		if !now.Before(v.Expires) {
			delete(u.m, k)
		}
	}
	u.m[id] = req
	return id
}

// take forgets id, whatever happens next, and returns its request if it
// had not expired.
func (u *singleUse) take(id string) (authRequest, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	req, ok := u.m[id]
	if !ok {
		return authRequest{}, false
	}
	delete(u.m, id)
	return req, time.Now().Before(req.Expires)
}

// handleAuthorize serves AuthPath: GET starts line authentication, POST
// carries the answer of the consent page.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.startAuthorization(w, r)
	case http.MethodPost:
		s.answerConsent(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		writeErrorPage(w, http.StatusMethodNotAllowed, "Method not allowed.")
	}
}

// startAuthorization checks the client and the callback, then the rest of
// the request, then "identifies" the subscriber on the line and asks for
// (or simulates) consent. Problems with the client or the callback get an
// error page, never a redirect: the callback is not trusted until it is
// known good (RFC 6749 section 4.1.2.1). Other problems go back to the
// callback as an OAuth error, with no code.
func (s *Server) startAuthorization(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID := q.Get("client_id")
	if _, known := s.opts.clients[clientID]; !known || clientID == "" || len(q["client_id"]) > 1 {
		writeErrorPage(w, http.StatusBadRequest, "Unknown, missing or repeated client_id.")
		return
	}
	callback, problem := s.callbackFor(q["redirect_uri"])
	if problem != "" {
		writeErrorPage(w, http.StatusBadRequest, problem)
		return
	}
	req := authRequest{ClientID: clientID, Callback: callback, RedirectURI: q.Get("redirect_uri"), Subject: s.opts.subscriber.MobileNumber}
	if len(q["state"]) == 1 {
		req.State = q.Get("state")
	}
	if e := checkAuthorizeParams(q, &req); e != nil {
		redirectBack(w, r, req, http.StatusFound, url.Values{"error": {e.Code}, "error_description": {e.Description}})
		return
	}
	switch s.consent() {
	case ConsentAutoApprove:
		s.approve(w, r, req, http.StatusFound)
	case ConsentAutoDeny:
		deny(w, r, req, http.StatusFound)
	default:
		req.Expires = time.Now().Add(pendingLifetime)
		writeConsentPage(w, s.opts.subscriber, s.authz.pending.put(req))
	}
}

// checkAuthorizeParams checks what Telenor's gateway requires besides the
// client and the callback: exactly one non-empty state, response_type
// "code" when present, and a well-formed PKCE challenge when there is
// one, which it records in req.
func checkAuthorizeParams(q url.Values, req *authRequest) *oauthError {
	for _, name := range []string{"state", "response_type", "scope", "code_challenge", "code_challenge_method"} {
		if len(q[name]) > 1 {
			return badRequest("invalid_request", "The "+name+" parameter is repeated.")
		}
	}
	if rt, sent := q["response_type"]; sent && rt[0] != "code" {
		return badRequest("unsupported_response_type", "Only response_type=code is supported.")
	}
	if req.State == "" {
		return badRequest("invalid_request", "The state parameter is required.")
	}
	challenge, e := checkChallenge(q)
	req.Challenge = challenge
	return e
}

// callbackFor returns where to send the browser back: the callback
// registered with WithRedirectURL, which a redirect_uri, when sent, must
// equal exactly. It returns a problem to show instead when there is no
// usable registered callback or the request names another one.
func (s *Server) callbackFor(redirectURIs []string) (callback, problem string) {
	registered := s.opts.redirectURL
	switch {
	case registered == "":
		return "", "No callback URL is registered for this app. Register it in the test with telenortest.WithRedirectURL, as apps do in Telenor's developer dashboard."
	case !absoluteHTTPURL(registered):
		return "", "The callback registered with telenortest.WithRedirectURL must be an absolute http(s) URL without a fragment."
	case len(redirectURIs) > 1:
		return "", "The redirect_uri parameter is repeated."
	case len(redirectURIs) == 1 && redirectURIs[0] != registered:
		return "", "redirect_uri does not match the callback URL registered for this app."
	}
	return registered, ""
}

// absoluteHTTPURL reports whether s can be a callback: an absolute http
// or https URL without a fragment (RFC 6749 section 3.1.2).
func absoluteHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Fragment == "" && !strings.Contains(s, "#")
}

// approve issues a single-use code for req and sends the browser back.
func (s *Server) approve(w http.ResponseWriter, r *http.Request, req authRequest, status int) {
	req.Expires = time.Now().Add(s.opts.codeLifetime)
	redirectBack(w, r, req, status, url.Values{"code": {s.authz.codes.put(req)}})
}

// deny sends the browser back with Telenor's access_denied error.
func deny(w http.ResponseWriter, r *http.Request, req authRequest, status int) {
	redirectBack(w, r, req, status, url.Values{"error": {"access_denied"}, "error_description": {deniedDescription}})
}

// redirectBack redirects to req's callback with params and req's state
// added to whatever query the callback already has.
func redirectBack(w http.ResponseWriter, r *http.Request, req authRequest, status int, params url.Values) {
	u, err := url.Parse(req.Callback)
	if err != nil {
		writeErrorPage(w, http.StatusBadRequest, "The callback URL is not a URL.")
		return
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if req.State != "" {
		q.Set("state", req.State)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), status)
}

// authorizationCodeGrant serves grant_type=authorization_code. A code
// works once (it is forgotten even when the exchange fails), only for the
// client it was issued to, only until it expires, and only with the
// redirect_uri and PKCE code_verifier its authorization request calls
// for. The token is for the subscriber the network identified, so API
// endpoints can tell whose data to serve.
func (s *Server) authorizationCodeGrant(r *http.Request, clientID string) (string, *oauthError) {
	code := r.PostForm.Get("code")
	if code == "" {
		return "", badRequest("invalid_request", "Missing code")
	}
	req, ok := s.authz.codes.take(code)
	switch {
	case !ok:
		return "", badRequest("invalid_grant", "Invalid, expired or already used authorization code")
	case req.ClientID != clientID:
		return "", badRequest("invalid_grant", "Authorization code was issued to another client")
	}
	if e := checkRedirectURI(req, r.PostForm.Get("redirect_uri")); e != nil {
		return "", e
	}
	if e := checkVerifier(req.Challenge, r.PostForm.Get("code_verifier")); e != nil {
		return "", e
	}
	return req.Subject, nil
}

// checkRedirectURI binds the exchange to the authorization request (RFC
// 6749 section 4.1.3): a redirect_uri sent there must be sent again,
// identical; without one there, the exchange may send none or the
// registered callback.
func checkRedirectURI(req authRequest, sent string) *oauthError {
	switch {
	case req.RedirectURI != "" && sent != req.RedirectURI:
		return badRequest("invalid_grant", "redirect_uri must be identical to the one in the authorization request")
	case req.RedirectURI == "" && sent != "" && sent != req.Callback:
		return badRequest("invalid_grant", "redirect_uri does not match the registered callback")
	}
	return nil
}

// PKCE (RFC 7636). Telenor documents no PKCE for api.telenor.no, so the
// fake enforces it only when the authorization request carries a
// code_challenge, and then strictly: S256 only (plain is refused, as
// strict servers do by default), and the code is exchanged only with the
// matching code_verifier.

// checkChallenge returns the authorization request's S256 code_challenge
// ("" without one), or the OAuth error to send back to the callback.
func checkChallenge(q url.Values) (string, *oauthError) {
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && method == "":
		return "", nil
	case challenge == "":
		return "", badRequest("invalid_request", "code_challenge_method without code_challenge.")
	case method != "S256":
		return "", badRequest("invalid_request", "Only code_challenge_method=S256 is supported.")
	}
	if raw, err := base64.RawURLEncoding.Strict().DecodeString(challenge); err != nil || len(raw) != sha256.Size {
		return "", badRequest("invalid_request", "code_challenge is not an S256 challenge (43 base64url characters).")
	}
	return challenge, nil
}

// checkVerifier checks the exchange's code_verifier against the challenge
// its code was requested with (RFC 7636 section 4.6).
func checkVerifier(challenge, verifier string) *oauthError {
	switch {
	case challenge == "" && verifier == "":
		return nil
	case challenge == "":
		return badRequest("invalid_grant", "code_verifier sent, but the authorization request had no code_challenge")
	case verifier == "":
		return badRequest("invalid_grant", "Missing code_verifier: the authorization request had a code_challenge")
	case !wire.ValidPKCEVerifier(verifier):
		return badRequest("invalid_grant", "code_verifier must be 43 to 128 characters from A-Z a-z 0-9 - . _ ~")
	}
	sum := sha256.Sum256([]byte(verifier))
	if !equalSecret(base64.RawURLEncoding.EncodeToString(sum[:]), challenge) {
		return badRequest("invalid_grant", "code_verifier does not match the code_challenge")
	}
	return nil
}
