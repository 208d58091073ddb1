package telenortest

import "net/http"

// authorizationCodeGrant serves grant_type=authorization_code. A code
// works once (it is forgotten even when the exchange fails), only for the
// client it was issued to, and only until it expires. The token is for
// the subscriber the network identified, so API endpoints can tell whose
// data to serve (see [Server.LookupToken]).
func (s *Server) authorizationCodeGrant(r *http.Request, clientID string) (grantResult, *oauthError) {
	code := r.PostForm.Get("code")
	if code == "" {
		return grantResult{}, badRequest("invalid_request", "Missing code")
	}
	req, ok := s.authz.redeemCode(code)
	switch {
	case !ok:
		return grantResult{}, badRequest("invalid_grant", "Invalid, expired or already used authorization code")
	case req.ClientID != clientID:
		return grantResult{}, badRequest("invalid_grant", "Authorization code was issued to another client")
	}
	if uri := r.PostForm.Get("redirect_uri"); uri != "" && uri != req.RedirectURI && uri != req.Callback {
		return grantResult{}, badRequest("invalid_grant", "redirect_uri does not match the authorization request")
	}
	return grantResult{Subject: req.Subject}, nil
}
