package telenortest

import (
	"io"
	"net/http"
)

// handleLogout serves LogoutPath as documented: GET with a Bearer token,
// which it revokes, answering the plain text "OK!" (not JSON). Any valid
// token may log out, a system user's too.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if !requireGET(w, r) {
		return
	}
	token, _, ok := s.authorizeBearer(w, r)
	if !ok {
		return
	}
	s.Revoke(token)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", "3")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "OK!")
}
