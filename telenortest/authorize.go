package telenortest

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// AuthPath is the authorization endpoint where line authentication starts.
const AuthPath = "/oauth/v2/authorize"

// deniedDescription is the error_description Telenor documents for a user
// who refuses consent.
const deniedDescription = "The resource owner denied the request"

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
	req := authRequest{
		ClientID:    clientID,
		Callback:    callback,
		RedirectURI: q.Get("redirect_uri"),
		Subject:     s.opts.subscriber.MobileNumber,
	}
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
		writeConsentPage(w, s.opts.subscriber, s.authz.addPending(req))
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
	registered := s.opts.authz.redirectURL
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

// answerConsent handles the consent page's form: the pending request it
// names is used once, whatever the answer.
func (s *Server) answerConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeErrorPage(w, http.StatusBadRequest, "Malformed form.")
		return
	}
	req, ok := s.authz.takePending(r.PostForm.Get("request"))
	if !ok {
		writeErrorPage(w, http.StatusBadRequest, "This login request is unknown, was already answered, or has expired. Start again from the app.")
		return
	}
	switch r.PostForm.Get("decision") {
	case "approve":
		s.approve(w, r, req, http.StatusSeeOther)
	case "deny":
		deny(w, r, req, http.StatusSeeOther)
	default:
		writeErrorPage(w, http.StatusBadRequest, "Choose Approve or Deny.")
	}
}

// approve issues a single-use code for req and sends the browser back.
func (s *Server) approve(w http.ResponseWriter, r *http.Request, req authRequest, status int) {
	req.Expires = time.Now().Add(s.codeLifetime())
	code := s.authz.addCode(req)
	redirectBack(w, r, req, status, url.Values{"code": {code}})
}

// deny sends the browser back with Telenor's access_denied error.
func deny(w http.ResponseWriter, r *http.Request, req authRequest, status int) {
	redirectBack(w, r, req, status, url.Values{
		"error":             {"access_denied"},
		"error_description": {deniedDescription},
	})
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
