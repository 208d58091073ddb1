package telenortest

import (
	"crypto/subtle"
	"net/http"
	"net/url"
)

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
	id, err := url.QueryUnescape(rawID)
	if err != nil {
		return "", false
	}
	secret, err := url.QueryUnescape(rawSecret)
	if err != nil {
		return "", false
	}
	want, known := s.opts.clients[id]
	if subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 || !known {
		return "", false
	}
	return id, true
}
