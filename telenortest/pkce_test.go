package telenortest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// RFC 7636 appendix B's example.
const (
	rfcVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

func TestRFC7636Example(t *testing.T) {
	sum := sha256.Sum256([]byte(rfcVerifier))
	if got := base64.RawURLEncoding.EncodeToString(sum[:]); got != rfcChallenge {
		t.Fatalf("S256(%s) = %s, want %s", rfcVerifier, got, rfcChallenge)
	}
}

func pkceParams(challenge, method string) url.Values {
	p := authParams("s")
	if challenge != "" {
		p.Set("code_challenge", challenge)
	}
	if method != "" {
		p.Set("code_challenge_method", method)
	}
	return p
}

func TestPKCEEnforcedWhenChallengeSent(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	code := func(params url.Values) string {
		t.Helper()
		q := callbackQuery(t, authorize(t, srv, srv.URL, params), http.StatusFound)
		if q.Get("code") == "" {
			t.Fatalf("no code: %v", q)
		}
		return q.Get("code")
	}
	withURI := func(v url.Values) url.Values {
		v.Set("redirect_uri", testCallback)
		return v
	}
	tests := []struct {
		name     string
		params   url.Values
		verifier string
		ok       bool
	}{
		{"challenge, no verifier", pkceParams(rfcChallenge, "S256"), "", false},
		{"challenge, wrong verifier", pkceParams(rfcChallenge, "S256"), strings.Repeat("a", 43), false},
		{"challenge, malformed verifier", pkceParams(rfcChallenge, "S256"), rfcVerifier[:42], false},
		{"challenge, the verifier", pkceParams(rfcChallenge, "S256"), rfcVerifier, true},
		{"no challenge, a verifier", authParams("s"), rfcVerifier, false},
		{"no challenge, no verifier", authParams("s"), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := withURI(url.Values{})
			if tt.verifier != "" {
				extra.Set("code_verifier", tt.verifier)
			}
			resp, body := exchangeWith(t, srv, code(tt.params), extra)
			if tt.ok {
				wantStatus(t, resp, body, http.StatusOK)
				return
			}
			wantOAuthError(t, resp, body, "invalid_grant")
		})
	}
}

func TestPKCEChallengeMustBeS256(t *testing.T) {
	srv := NewServer(WithConsent(ConsentAutoApprove), WithRedirectURL(testCallback))
	defer srv.Close()
	for name, params := range map[string]url.Values{
		"plain":          pkceParams(rfcVerifier, "plain"),
		"no method":      pkceParams(rfcChallenge, ""),
		"method only":    pkceParams("", "S256"),
		"short":          pkceParams(rfcChallenge[:42], "S256"),
		"not base64url":  pkceParams(strings.Repeat("+", 43), "S256"),
		"repeated":       {"client_id": {DefaultClientID}, "state": {"s"}, "code_challenge": {rfcChallenge, rfcChallenge}, "code_challenge_method": {"S256"}},
		"method unknown": pkceParams(rfcChallenge, "S512"),
	} {
		t.Run(name, func(t *testing.T) {
			q := callbackQuery(t, authorize(t, srv, srv.URL, params), http.StatusFound)
			if q.Get("error") != "invalid_request" || q.Get("code") != "" || q.Get("state") != "s" {
				t.Errorf("callback query = %v, want error=invalid_request and no code", q)
			}
		})
	}
}
