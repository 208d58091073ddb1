package telenortest

import "net/http"

// authorizationCodeGrant serves grant_type=authorization_code. A code
// works once (it is forgotten even when the exchange fails), only for the
// client it was issued to, only until it expires, only with the
// redirect_uri and PKCE code_verifier its authorization request calls for. The token is for
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
	if e := checkRedirectURI(req, r.PostForm.Get("redirect_uri")); e != nil {
		return grantResult{}, e
	}
	if e := checkVerifier(req.Challenge, r.PostForm.Get("code_verifier")); e != nil {
		return grantResult{}, e
	}
	return grantResult{Subject: req.Subject}, nil
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
