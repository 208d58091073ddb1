package telenortest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/url"

	"github.com/telenor-go/telenor/internal/wire"
)

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
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) != 1 {
		return badRequest("invalid_grant", "code_verifier does not match the code_challenge")
	}
	return nil
}
