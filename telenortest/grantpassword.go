package telenortest

import (
	"crypto/subtle"
	"net/http"
)

// passwordGrant serves grant_type=password for the configured system
// users.
func (s *Server) passwordGrant(r *http.Request, _ string) (grantResult, *oauthError) {
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	switch {
	case username == "":
		return grantResult{}, badRequest("invalid_request", "Missing username")
	case password == "":
		return grantResult{}, badRequest("invalid_request", "Missing password")
	}
	want, known := s.opts.users[username]
	if subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1 || !known {
		return grantResult{}, badRequest("invalid_grant", "Invalid username or password")
	}
	return grantResult{Subject: username}, nil
}
