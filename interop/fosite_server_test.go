package interop

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// A second, independent OAuth 2.0 server: ory/fosite with its in-memory
// store, mounted on Telenor's paths. What the SDK does against it is what
// it would do against any RFC 6749 server, not only against the fake the
// SDK's authors wrote.

// Credentials registered on the fosite gateway. Each is distinct and
// greppable, so a leak is found by a plain substring search.
const (
	fositeClientID = "interop-client"
	fositeSecret   = "fositeSECRETq7w3"
	fositeUser     = "API1000XYZ"
	fositePassword = "fositePASSWORDz9k2"
	fositeCallback = "http://127.0.0.1:9/callback" // never requested: the test plays the browser
	fositeMSISDN   = "4790012345"
)

// fositeGateway is fosite behind Telenor's token, authorize and API paths.
type fositeGateway struct {
	srv      *httptest.Server
	provider fosite.OAuth2Provider
	hits     pathCounter
}

// fositeOptions vary the gateway per test.
type fositeOptions struct {
	// enforcePKCE makes fosite refuse an authorization request without a
	// code_challenge (RFC 7636), and a code exchange without its verifier.
	enforcePKCE bool
	// v2Only serves the password grant at /oauth/v2/token only, as every
	// public Telenor sample assumes: /oauth/token answers 404.
	v2Only bool
}

// newFositeGateway starts the gateway on a loopback port.
func newFositeGateway(t *testing.T, opts fositeOptions) *fositeGateway {
	t.Helper()
	cfg := &fosite.Config{
		GlobalSecret:          []byte("interop-hmac-key-of-32-bytes-!!!"),
		AccessTokenLifespan:   time.Hour,
		AuthorizeCodeLifespan: 10 * time.Minute,
		HashCost:              4, // bcrypt at its cheapest: the machine has 2 cores
		EnforcePKCE:           opts.enforcePKCE,
	}
	store := storage.NewMemoryStore()
	hash, err := (&fosite.BCrypt{Config: cfg}).Hash(t.Context(), []byte(fositeSecret))
	if err != nil {
		t.Fatal(err)
	}
	store.Clients[fositeClientID] = &fosite.DefaultClient{
		ID:            fositeClientID,
		Secret:        hash,
		RedirectURIs:  []string{fositeCallback},
		ResponseTypes: []string{"code"},
		GrantTypes:    []string{"password", "authorization_code"},
	}
	store.Users[fositeUser] = storage.MemoryUserRelation{Username: fositeUser, Password: fositePassword}
	g := &fositeGateway{provider: compose.Compose(cfg, store, compose.NewOAuth2HMACStrategy(cfg),
		compose.OAuth2AuthorizeExplicitFactory,
		//lint:ignore SA1019 deprecated to discourage the grant, which Telenor's system users need
		compose.OAuth2ResourceOwnerPasswordCredentialsFactory,
		compose.OAuth2PKCEFactory,
		compose.OAuth2TokenIntrospectionFactory,
	)}
	mux := http.NewServeMux()
	if opts.v2Only {
		mux.HandleFunc(telenortest.PasswordTokenPath, http.NotFound)
	} else {
		mux.HandleFunc(telenortest.PasswordTokenPath, g.token)
	}
	mux.HandleFunc(telenortest.TokenPath, g.token)
	mux.HandleFunc(telenortest.AuthPath, g.authorize)
	mux.HandleFunc(telenortest.UserInfoPath, g.api)
	mux.HandleFunc(telenortest.OrganizationsPath, g.api)
	g.srv = httptest.NewServer(g.hits.wrap(mux))
	t.Cleanup(g.srv.Close)
	return g
}

// client returns an SDK Client for the gateway with the given credentials.
func (g *fositeGateway) client(t *testing.T, id, secret string, edit ...func(*telenor.Config)) *telenor.Client {
	t.Helper()
	cfg := telenor.Config{ClientID: id, ClientSecret: secret, BaseURL: g.srv.URL, HTTPClient: g.srv.Client()}
	for _, e := range edit {
		e(&cfg)
	}
	return newClient(t, cfg)
}

// tokenRequests counts requests to both token paths.
func (g *fositeGateway) tokenRequests() int {
	return g.hits.get(telenortest.PasswordTokenPath) + g.hits.get(telenortest.TokenPath)
}

func (g *fositeGateway) token(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := g.provider.NewAccessRequest(ctx, r, &fosite.DefaultSession{})
	if err != nil {
		g.provider.WriteAccessError(ctx, w, ar, err)
		return
	}
	resp, err := g.provider.NewAccessResponse(ctx, ar)
	if err != nil {
		g.provider.WriteAccessError(ctx, w, ar, err)
		return
	}
	g.provider.WriteAccessResponse(ctx, w, ar, resp)
}

// authorize approves at once, as the mobile network and a consenting user
// would, for the subscriber fositeMSISDN.
func (g *fositeGateway) authorize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := g.provider.NewAuthorizeRequest(ctx, r)
	if err != nil {
		g.provider.WriteAuthorizeError(ctx, w, ar, err)
		return
	}
	resp, err := g.provider.NewAuthorizeResponse(ctx, ar, &fosite.DefaultSession{Subject: fositeMSISDN})
	if err != nil {
		g.provider.WriteAuthorizeError(ctx, w, ar, err)
		return
	}
	g.provider.WriteAuthorizeResponse(ctx, w, ar, resp)
}

// api serves user info and organizations to a token fosite introspects as
// active, and answers like Telenor's gateway (401, 40105) otherwise.
func (g *fositeGateway) api(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	_, ar, err := g.provider.IntrospectToken(r.Context(), tok, fosite.AccessToken, &fosite.DefaultSession{})
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"httpStatus":401,"httpMessage":"Unauthorized","description":"Invalid access token","errorCode":40105}`))
		return
	}
	if r.URL.Path == telenortest.OrganizationsPath {
		_, _ = w.Write([]byte(`[{"orgNumber":"987654321","name":"Interop AS"}]`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"mobileNumber": ar.GetSession().GetSubject()})
}

// browse plays the browser: it opens authURL at the gateway, which
// approves at once, and returns the callback URL the gateway redirected to
// (not followed: the callback host does not exist).
func (g *fositeGateway) browse(t *testing.T, authURL string) *url.URL {
	t.Helper()
	noFollow := &http.Client{
		Transport:     g.srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize answered %d without a usable Location: %v", resp.StatusCode, err)
	}
	return loc
}

// callbackRequest turns the callback URL into the request the app's
// callback handler would receive.
func callbackRequest(loc *url.URL) *http.Request {
	return httptest.NewRequest(http.MethodGet, loc.RequestURI(), nil)
}

// fositeSecrets is what must never be printed in the fosite tests.
func fositeSecrets(code string) secretSet {
	return secretSet{"client secret": fositeSecret, "password": fositePassword, "code": code}.
		withBasic(fositeClientID, fositeSecret)
}
