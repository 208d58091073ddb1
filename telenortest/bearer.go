package telenortest

import (
	"net/http"
	"strings"
	"time"
)

// authorizeBearer checks the request's Bearer token as the gateway does and
// returns what the server knows about it. On failure it has written
// Telenor's 401 error (40102 missing, 40105 unknown or revoked, 40106
// expired) and reports false.
func (s *Server) authorizeBearer(w http.ResponseWriter, r *http.Request) (string, TokenInfo, bool) {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		unauthorized(w, codeHeaderMissing, "Authorization header missing")
		return "", TokenInfo{}, false
	}
	info, known := s.LookupToken(token)
	switch {
	case !known:
		unauthorized(w, codeTokenInvalid, "Access token invalid")
	case info.Revoked:
		unauthorized(w, codeTokenInvalid, "Access token invalid")
	case info.Expired(time.Now()):
		unauthorized(w, codeTokenExpired, "Access token expired")
	default:
		return token, info, true
	}
	return "", TokenInfo{}, false
}

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// value; the scheme is case-insensitive (RFC 9110 section 11.1).
func bearerToken(v string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(v), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

func unauthorized(w http.ResponseWriter, code int, description string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="telenortest"`)
	writeTelenorError(w, http.StatusUnauthorized, code, description)
}

// requireGET answers anything but GET with 405, as the gateway's API
// proxies do, and reports whether the request may go on.
func requireGET(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet {
		return true
	}
	w.Header().Set("Allow", http.MethodGet)
	writeTelenorError(w, http.StatusMethodNotAllowed, 0, "Method not allowed, use GET")
	return false
}

// subscriberToken authorizes a request to an end-user API: a valid Bearer
// token issued for the server's subscriber. A system user's token gets
// 403 with code 40301: these APIs need the end user's consent.
func (s *Server) subscriberToken(w http.ResponseWriter, r *http.Request) bool {
	if !requireGET(w, r) {
		return false
	}
	_, info, ok := s.authorizeBearer(w, r)
	if !ok {
		return false
	}
	if info.Subject != s.opts.subscriber.MobileNumber {
		writeTelenorError(w, http.StatusForbidden, codeInvalidScope,
			"This API needs a token from an end user's consent")
		return false
	}
	return true
}
