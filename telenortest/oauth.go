package telenortest

import (
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Credentials the server accepts when no option replaces them.
const (
	// DefaultClientID is the OAuth client id of the default client.
	DefaultClientID = "telenortest-client"
	// DefaultClientSecret is the secret of the default client.
	DefaultClientSecret = "telenortest-secret"
	// DefaultUsername is the default Min Bedrift system user, shaped like
	// the user names in Telenor's documentation.
	DefaultUsername = "API1000XYZ"
	// DefaultPassword is the password of DefaultUsername.
	DefaultPassword = "telenortest-password"
)

// WithClient registers an OAuth client. The first WithClient replaces the
// default client; further calls add more clients (the same id again
// replaces its secret).
func WithClient(id, secret string) Option {
	return func(o *options) { o.clients[id] = secret }
}

// WithSystemUser registers a system user for the password grant. The
// first WithSystemUser replaces the default user; further calls add more
// users (the same name again replaces its password).
func WithSystemUser(username, password string) Option {
	return func(o *options) { o.users[username] = password }
}

// WithExpiresInString makes the token response send expires_in as a JSON
// string, "3599", the shape Apigee produces by default. The last of
// WithExpiresInString and [WithRawExpiresIn] wins.
func WithExpiresInString() Option {
	return func(o *options) {
		o.expiresIn = func(secs int64) string { return strconv.Quote(strconv.FormatInt(secs, 10)) }
	}
}

// WithRawExpiresIn makes the token response send raw, verbatim and
// unvalidated, as the value of expires_in: for example `0`, `-5`,
// `"abc"`, `1e30` or `null`. An empty raw omits the expires_in member.
// The token's recorded expiry still follows the token lifetime. The last
// of [WithExpiresInString] and WithRawExpiresIn wins.
func WithRawExpiresIn(raw string) Option {
	return func(o *options) { o.expiresIn = func(int64) string { return raw } }
}

// maxFormBytes bounds a form body (token requests, consent answers).
const maxFormBytes = 64 << 10

// invalidClientBody is the token endpoint's answer to failed client
// authentication: Telenor's gateway code (gateway.CodeInvalidClient) mixed
// with RFC 6749 fields.
const invalidClientBody = `{"errorCode":40108,"httpStatus":401,"httpMessage":"Unauthorized",` +
	`"description":"Invalid client id or secret","error":"invalid_client",` +
	`"error_description":"Invalid client id or secret"}`

// handleToken serves PasswordTokenPath and TokenPath: POST, the client in
// HTTP Basic as Telenor's gateway wants it, a form body.
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
	subject, e := s.grant(r, clientID)
	if e != nil {
		writeOAuthError(w, e)
		return
	}
	token, info := s.tokens.issue(subject, clientID)
	s.writeToken(w, token, info.ExpiresAt.Sub(info.IssuedAt))
}

// grant serves the form's grant_type for an authenticated client and
// returns whom the token is for.
func (s *Server) grant(r *http.Request, clientID string) (subject string, e *oauthError) {
	switch grantType := r.PostForm.Get("grant_type"); grantType {
	case "password":
		return s.passwordGrant(r)
	case "authorization_code":
		return s.authorizationCodeGrant(r, clientID) // authorize.go
	case "":
		return "", badRequest("invalid_request", "Missing grant_type")
	default:
		return "", badRequest("unsupported_grant_type", "Unsupported grant_type: "+grantType)
	}
}

// authenticateClient checks the request's HTTP Basic client credentials
// and returns the client id. Per RFC 6749 section 2.3.1 the id and secret
// are form-urlencoded inside the Basic credentials (golang.org/x/oauth2
// escapes them), so both are unescaped before comparing; a '+' therefore
// stands for a space.
func (s *Server) authenticateClient(r *http.Request) (string, bool) {
	rawID, rawSecret, ok := r.BasicAuth()
	if !ok {
		return "", false
	}
	id, err1 := url.QueryUnescape(rawID)
	secret, err2 := url.QueryUnescape(rawSecret)
	if err1 != nil || err2 != nil {
		return "", false
	}
	want, known := s.opts.clients[id]
	return id, equalSecret(secret, want) && known
}

// equalSecret compares in constant time, so that the fake does not teach
// a timing side channel that the real gateway lacks.
func equalSecret(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
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

// passwordGrant serves grant_type=password for the configured system
// users; the token is for the user.
func (s *Server) passwordGrant(r *http.Request) (string, *oauthError) {
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	switch {
	case username == "":
		return "", badRequest("invalid_request", "Missing username")
	case password == "":
		return "", badRequest("invalid_request", "Missing password")
	}
	want, known := s.opts.users[username]
	if !equalSecret(password, want) || !known {
		return "", badRequest("invalid_grant", "Invalid username or password")
	}
	return username, nil
}

// writeToken writes the successful token response, spelling expires_in
// as the server is configured to. The body is written by hand because
// the options may ask for an expires_in that is not valid JSON.
func (s *Server) writeToken(w http.ResponseWriter, token string, lifetime time.Duration) {
	secs := int64(lifetime / time.Second)
	expires := strconv.FormatInt(secs, 10)
	if s.opts.expiresIn != nil {
		expires = s.opts.expiresIn(secs)
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
