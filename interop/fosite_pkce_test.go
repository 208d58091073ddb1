// PKCE (RFC 7636, S256) against fosite: the SDK sends a challenge and the
// matching verifier; a missing or wrong verifier is refused.

package interop

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
)

// TestFositePKCE: contract item 17 against a server that enforces PKCE.
func TestFositePKCE(t *testing.T) {
	t.Run("challenge and verifier: exchanged", func(t *testing.T) {
		g := newFositeGateway(t, fositeOptions{enforcePKCE: true})
		cli := g.client(t, fositeClientID, fositeSecret)
		verifier, state := oauth2.GenerateVerifier(), telenor.NewState()
		authURL := cli.AuthCodeURL(state, telenor.WithPKCE(verifier))
		u, err := url.Parse(authURL)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(verifier))
		if got, want := u.Query().Get("code_challenge"), base64.RawURLEncoding.EncodeToString(sum[:]); got != want {
			t.Errorf("code_challenge = %q, want S256 of the verifier %q", got, want)
		}
		if got := u.Query().Get("code_challenge_method"); got != "S256" {
			t.Errorf("code_challenge_method = %q, want S256", got)
		}
		if u.Query().Has("code_verifier") {
			t.Error("the verifier must never be in the authorization URL")
		}
		loc := g.browse(t, authURL)
		user, err := cli.HandleCallback(t.Context(), callbackRequest(loc), state, telenor.WithPKCE(verifier))
		if err != nil {
			t.Fatalf("HandleCallback with the verifier: %v", err)
		}
		if _, err := user.UserInfo(t.Context()); err != nil {
			t.Errorf("UserInfo: %v", err)
		}
		if got := g.tokenRequests(); got != 1 {
			t.Errorf("code exchanges = %d, want 1", got)
		}
	})
	t.Run("no challenge: refused at authorize, nothing exchanged", func(t *testing.T) {
		g := newFositeGateway(t, fositeOptions{enforcePKCE: true})
		cli := g.client(t, fositeClientID, fositeSecret)
		state := telenor.NewState()
		loc := g.browse(t, cli.AuthCodeURL(state))
		_, err := cli.HandleCallback(t.Context(), callbackRequest(loc), state)
		var ae *telenor.AuthError
		if !errors.As(err, &ae) || ae.Code != "invalid_request" {
			t.Errorf("got %v, want an *AuthError with fosite's invalid_request", err)
		}
		if got := g.tokenRequests(); got != 0 {
			t.Errorf("token requests = %d, want 0", got)
		}
	})
	for _, tc := range []struct {
		name     string
		verifier func(string) []telenor.AuthCodeOption
	}{
		{"challenge, no verifier", func(string) []telenor.AuthCodeOption { return nil }},
		{"challenge, wrong verifier", func(string) []telenor.AuthCodeOption {
			return []telenor.AuthCodeOption{telenor.WithPKCE(oauth2.GenerateVerifier())}
		}},
	} {
		t.Run(tc.name+": invalid_grant, posted once", func(t *testing.T) {
			g := newFositeGateway(t, fositeOptions{enforcePKCE: true})
			cli := g.client(t, fositeClientID, fositeSecret)
			verifier, state := oauth2.GenerateVerifier(), telenor.NewState()
			loc := g.browse(t, cli.AuthCodeURL(state, telenor.WithPKCE(verifier)))
			_, err := cli.HandleCallback(t.Context(), callbackRequest(loc), state, tc.verifier(verifier)...)
			if !errors.Is(err, telenor.ErrInvalidGrant) {
				t.Errorf("got %v, want ErrInvalidGrant", err)
			}
			if got := g.tokenRequests(); got != 1 {
				t.Errorf("code exchanges = %d, want 1", got)
			}
			secrets := fositeSecrets(loc.Query().Get("code"))
			secrets["verifier"] = verifier
			checkNoSecrets(t, secrets, err, "")
		})
	}
}
