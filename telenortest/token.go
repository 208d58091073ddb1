package telenortest

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"
)

// maxFormBytes bounds the token request body.
const maxFormBytes = 64 << 10

// grantResult is what a grant decides: whom the token is for.
type grantResult struct {
	Subject string
}

// grantFunc serves one grant_type. It runs after the client is
// authenticated (clientID) and the form is parsed into r.PostForm, and
// returns the grant's result or the OAuth error to answer with.
type grantFunc func(r *http.Request, clientID string) (grantResult, *oauthError)

// grant returns the function serving grantType, or nil if the server
// does not support it. To add a grant, write its grantFunc method in its
// own file and add a case here.
func (s *Server) grant(grantType string) grantFunc {
	switch grantType {
	case "password":
		return s.passwordGrant
	case "authorization_code":
		return s.authorizationCodeGrant
	}
	return nil
}

// handleToken serves PasswordTokenPath and TokenPath.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "Method not allowed, use POST"})
		return
	}
	clientID, ok := s.authenticateClient(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="telenortest"`)
		writeJSON(w, http.StatusUnauthorized, []byte(invalidClientBody))
		return
	}
	if e := parseTokenForm(w, r); e != nil {
		writeOAuthError(w, e)
		return
	}
	grantType := r.PostForm.Get("grant_type")
	if grantType == "" {
		writeOAuthError(w, badRequest("invalid_request", "Missing grant_type"))
		return
	}
	serve := s.grant(grantType)
	if serve == nil {
		writeOAuthError(w, badRequest("unsupported_grant_type", "Unsupported grant_type: "+grantType))
		return
	}
	res, e := serve(r, clientID)
	if e != nil {
		writeOAuthError(w, e)
		return
	}
	token, info := s.tokens.issue(res.Subject, clientID)
	s.writeToken(w, token, info.ExpiresAt.Sub(info.IssuedAt))
}

// parseTokenForm checks the content type and parses a bounded form body
// into r.PostForm, rejecting repeated parameters (RFC 6749 section 3.2).
func parseTokenForm(w http.ResponseWriter, r *http.Request) *oauthError {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return badRequest("invalid_request", "Content-Type must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &oauthError{http.StatusRequestEntityTooLarge, "invalid_request", "Request body too large"}
		}
		return badRequest("invalid_request", "Malformed form body")
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return badRequest("invalid_request", "Repeated parameter: "+k)
		}
	}
	return nil
}

// badRequest is a 400 OAuth error.
func badRequest(code, description string) *oauthError {
	return &oauthError{http.StatusBadRequest, code, description}
}

// writeToken writes the successful token response, spelling expires_in
// as the server is configured to.
func (s *Server) writeToken(w http.ResponseWriter, token string, lifetime time.Duration) {
	secs := strconv.FormatInt(int64(lifetime/time.Second), 10)
	expires := secs
	switch s.opts.expiresIn {
	case expiresInString:
		expires = strconv.Quote(secs)
	case expiresInRaw:
		expires = s.opts.rawExpiry
	}
	body := `{"access_token":"` + token + `"`
	if expires != "" {
		body += `,"expires_in":` + expires
	}
	body += "}"
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, []byte(body))
}
