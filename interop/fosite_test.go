package interop

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// TestFositePasswordGrantCaches: many calls, sequential and concurrent,
// share one token request; fosite's token works on the API.
func TestFositePasswordGrantCaches(t *testing.T) {
	for _, tc := range []struct {
		name, path string
	}{
		{"default /oauth/token", telenortest.PasswordTokenPath},
		{"Endpoint.PasswordTokenURL /oauth/v2/token", telenortest.TokenPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newFositeGateway(t, fositeOptions{})
			cli := g.client(t, fositeClientID, fositeSecret, func(c *telenor.Config) {
				if tc.path != telenortest.PasswordTokenPath {
					c.Endpoint.PasswordTokenURL = g.srv.URL + tc.path
				}
			})
			sys := cli.PasswordGrant(fositeUser, fositePassword)
			const sequential, workers, each = 20, 16, 5
			for i := range sequential {
				if _, err := sys.Organizations(t.Context()); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			var wg sync.WaitGroup
			errs := make(chan error, workers*each)
			for range workers {
				wg.Go(func() {
					for range each {
						orgs, err := sys.Organizations(t.Context())
						if err == nil && (len(orgs) != 1 || orgs[0].Name != "Interop AS") {
							err = errors.New("unexpected organizations")
						}
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("concurrent call: %v", err)
				}
			}
			if got := g.tokenRequests(); got != 1 {
				t.Errorf("token requests = %d, want 1: the cached token serves every call", got)
			}
			if got := g.hits.get(tc.path); got != 1 {
				t.Errorf("requests to %s = %d, want 1", tc.path, got)
			}
			if got, want := g.hits.get(telenortest.OrganizationsPath), sequential+workers*each; got != want {
				t.Errorf("API requests = %d, want %d (one per call, no 401 replays)", got, want)
			}
		})
	}
}

// TestFositePasswordGrantV2Fallback: contract item 14. A gateway that
// serves the password grant at /oauth/v2/token only answers 404 at the
// documented default; the SDK posts once to /oauth/v2/token and keeps it.
func TestFositePasswordGrantV2Fallback(t *testing.T) {
	g := newFositeGateway(t, fositeOptions{v2Only: true})
	cli := g.client(t, fositeClientID, fositeSecret)
	sys := cli.PasswordGrant(fositeUser, fositePassword)
	if _, err := sys.Token(t.Context()); err != nil {
		t.Fatalf("contract item 14: a 404 at /oauth/token must fall back to /oauth/v2/token; got %v", err)
	}
	sys2 := cli.PasswordGrant(fositeUser, fositePassword) // a second SystemSession of the same Client
	if _, err := sys2.Token(t.Context()); err != nil {
		t.Fatalf("second session: %v", err)
	}
	if got := g.hits.get(telenortest.PasswordTokenPath); got != 1 {
		t.Errorf("contract item 14: requests to /oauth/token = %d, want 1 (tried once, then the path that answered is kept for the Client's life)", got)
	}
	if got := g.hits.get(telenortest.TokenPath); got != 2 {
		t.Errorf("contract item 14: requests to /oauth/v2/token = %d, want 2 (one per SystemSession)", got)
	}
	if got, want := cli.Endpoint().PasswordTokenURL, g.srv.URL+telenortest.TokenPath; got != want {
		t.Errorf("contract item 14: Client.Endpoint().PasswordTokenURL = %q, want the path in use %q", got, want)
	}
}

// TestFositeAuthCodeFlow: the whole line-authentication flow against
// fosite, with and without redirect_uri.
func TestFositeAuthCodeFlow(t *testing.T) {
	for _, withRedirect := range []bool{false, true} {
		name := map[bool]string{false: "without redirect_uri", true: "with redirect_uri"}[withRedirect]
		t.Run(name, func(t *testing.T) {
			g := newFositeGateway(t, fositeOptions{})
			var logs logBuffer
			cli := g.client(t, fositeClientID, fositeSecret, func(c *telenor.Config) {
				if withRedirect {
					c.RedirectURL = fositeCallback
				}
				c.Logger = logs.logger()
			})
			state := telenor.NewState()
			authURL := cli.AuthCodeURL(state)
			if got := strings.Contains(authURL, "redirect_uri="); got != withRedirect {
				t.Errorf("AuthCodeURL carries redirect_uri = %v, want %v", got, withRedirect)
			}
			loc := g.browse(t, authURL)
			if got := loc.Scheme + "://" + loc.Host + loc.Path; got != fositeCallback {
				t.Fatalf("fosite redirected to %q, want the registered callback %q (query %q)", got, fositeCallback, loc.RawQuery)
			}
			user, err := cli.HandleCallback(t.Context(), callbackRequest(loc), state)
			if err != nil {
				t.Fatalf("HandleCallback against fosite: %v", err)
			}
			info, err := user.UserInfo(t.Context())
			if err != nil {
				t.Fatalf("UserInfo with fosite's token: %v", err)
			}
			if info.MobileNumber != fositeMSISDN {
				t.Errorf("MobileNumber = %q, want %q", info.MobileNumber, fositeMSISDN)
			}
			if got := g.hits.get(telenortest.TokenPath); got != 1 {
				t.Errorf("code exchanges = %d, want 1", got)
			}
			if got := g.hits.get(telenortest.PasswordTokenPath); got != 0 {
				t.Errorf("password-grant requests = %d, want 0", got)
			}
			checkNoSecrets(t, fositeSecrets(loc.Query().Get("code")), nil, logs.String())
		})
	}
}

// TestFositeRedirectURIBinding: a code issued for a redirect_uri and
// exchanged without it is refused by fosite (RFC 6749 §4.1.3); the SDK
// reports ErrInvalidGrant after exactly one request.
func TestFositeRedirectURIBinding(t *testing.T) {
	g := newFositeGateway(t, fositeOptions{})
	with := g.client(t, fositeClientID, fositeSecret, func(c *telenor.Config) { c.RedirectURL = fositeCallback })
	without := g.client(t, fositeClientID, fositeSecret)
	state := telenor.NewState()
	loc := g.browse(t, with.AuthCodeURL(state))
	_, err := without.HandleCallback(t.Context(), callbackRequest(loc), state)
	var ae *telenor.AuthError
	if !errors.As(err, &ae) || !errors.Is(err, telenor.ErrInvalidGrant) {
		t.Fatalf("exchange without the authorize request's redirect_uri: got %v, want an *AuthError matching ErrInvalidGrant", err)
	}
	if got := g.hits.get(telenortest.TokenPath); got != 1 {
		t.Errorf("code exchanges = %d, want 1 (a code is posted once)", got)
	}
	checkNoSecrets(t, fositeSecrets(loc.Query().Get("code")), err, "")
}

// TestFositeCodeReplay: a code works once. The second exchange is refused
// as invalid_grant, and fosite revokes what the first issued: the first
// UserSession then answers ErrReauthenticate.
func TestFositeCodeReplay(t *testing.T) {
	g := newFositeGateway(t, fositeOptions{})
	var logs logBuffer
	cli := g.client(t, fositeClientID, fositeSecret, func(c *telenor.Config) { c.Logger = logs.logger() })
	state := telenor.NewState()
	loc := g.browse(t, cli.AuthCodeURL(state))
	code := loc.Query().Get("code")
	user, err := cli.HandleCallback(t.Context(), callbackRequest(loc), state)
	if err != nil {
		t.Fatalf("first exchange: %v", err)
	}
	_, err = cli.HandleCallback(t.Context(), callbackRequest(loc), state)
	var ae *telenor.AuthError
	if !errors.As(err, &ae) || !errors.Is(err, telenor.ErrInvalidGrant) {
		t.Fatalf("replayed code: got %v, want an *AuthError matching ErrInvalidGrant", err)
	}
	if got := g.hits.get(telenortest.TokenPath); got != 2 {
		t.Errorf("code exchanges = %d, want 2 (each exchange posted exactly once)", got)
	}
	checkNoSecrets(t, fositeSecrets(code), err, logs.String())
	_, err = user.UserInfo(t.Context())
	if !errors.Is(err, telenor.ErrReauthenticate) {
		t.Errorf("UserInfo after fosite revoked the replayed code's token: got %v, want ErrReauthenticate", err)
	}
}

// TestFositeWrongPassword: contract item 1. fosite answers invalid_grant;
// the SystemSession never posts the rejected password again, however long and
// however often it is called, and says how to recover.
func TestFositeWrongPassword(t *testing.T) {
	g := newFositeGateway(t, fositeOptions{})
	var logs logBuffer
	cli := g.client(t, fositeClientID, fositeSecret, func(c *telenor.Config) { c.Logger = logs.logger() })
	sys := cli.PasswordGrant(fositeUser, "wrongPASSWORDx1")
	secrets := fositeSecrets("")
	secrets["wrong password"] = "wrongPASSWORDx1"
	assertCredentialsNeverResent(t, sys, telenor.ErrInvalidGrant, g.tokenRequests)
	if got := g.hits.get(telenortest.OrganizationsPath); got != 0 {
		t.Errorf("API requests = %d, want 0: no token, no API call", got)
	}
	_, err := sys.Token(t.Context())
	checkNoSecrets(t, secrets, err, logs.String())
}

// TestFositeWrongClient: contract item 1 for invalid_client, on the
// password grant and the code exchange.
func TestFositeWrongClient(t *testing.T) {
	for _, tc := range []struct{ name, id, secret string }{
		{"wrong secret", fositeClientID, "wrongSECRETv5"},
		{"unknown client", "no-such-client", fositeSecret},
	} {
		t.Run(tc.name+"/password grant", func(t *testing.T) {
			g := newFositeGateway(t, fositeOptions{})
			var logs logBuffer
			cli := g.client(t, tc.id, tc.secret, func(c *telenor.Config) { c.Logger = logs.logger() })
			sys := cli.PasswordGrant(fositeUser, fositePassword)
			assertCredentialsNeverResent(t, sys, telenor.ErrInvalidClient, g.tokenRequests)
			_, err := sys.Token(t.Context())
			checkNoSecrets(t, fositeSecrets("").withBasic(tc.id, tc.secret), err, logs.String())
		})
		t.Run(tc.name+"/code exchange", func(t *testing.T) {
			g := newFositeGateway(t, fositeOptions{})
			good := g.client(t, fositeClientID, fositeSecret)
			bad := g.client(t, tc.id, tc.secret)
			state := telenor.NewState()
			loc := g.browse(t, good.AuthCodeURL(state))
			_, err := bad.HandleCallback(t.Context(), callbackRequest(loc), state)
			var ae *telenor.AuthError
			if !errors.As(err, &ae) || !errors.Is(err, telenor.ErrInvalidClient) {
				t.Fatalf("got %v, want an *AuthError matching ErrInvalidClient", err)
			}
			if g.tokenRequests() != 1 {
				t.Errorf("code exchanges = %d, want 1", g.tokenRequests())
			}
			checkNoSecrets(t, fositeSecrets(loc.Query().Get("code")).withBasic(tc.id, tc.secret), err, "")
		})
	}
}

// assertCredentialsNeverResent calls sys in a bounded loop spread over
// several backoff periods (the SDK's first backoffs are 200 ms and 400 ms
// before jitter) and checks contract item 1: the first answer is final,
// every call returns the same typed error at once, and the token endpoint
// sees exactly one request.
func assertCredentialsNeverResent(t *testing.T, sys *telenor.SystemSession, want error, tokenRequests func() int) {
	t.Helper()
	const calls, pause = 40, 40 * time.Millisecond // ≈ 1.6 s: past several backoffs
	var first *telenor.AuthError
	for i := range calls {
		_, err := sys.Token(t.Context())
		if i%2 == 1 {
			_, err = sys.Organizations(t.Context())
		}
		var ae *telenor.AuthError
		if !errors.As(err, &ae) || !errors.Is(err, want) {
			t.Fatalf("call %d: got %v, want an *AuthError matching %v", i, err, want)
		}
		if first == nil {
			first = ae
			if !strings.Contains(err.Error(), "Client.PasswordGrant") {
				t.Errorf("contract item 1: the error must tell the application to make a new session (Client.PasswordGrant) after fixing the credentials; got %q", err)
			}
		}
		time.Sleep(pause)
	}
	if got := tokenRequests(); got != 1 {
		t.Errorf("contract item 1: token requests = %d after %d calls over several backoff periods, want 1: rejected credentials are never sent again by the same SystemSession", got, calls)
	}
}
