package telenor

import (
	"cmp"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
	"github.com/telenor-go/telenor/internal/endpoint"
	"github.com/telenor-go/telenor/internal/fleet"
	"github.com/telenor-go/telenor/internal/gateway"
)

// DefaultBaseURL is Telenor Norway's production API gateway.
const DefaultBaseURL = "https://api.telenor.no"

// Endpoint overrides single URLs; empty fields derive from Config.BaseURL.
// When the default PasswordTokenURL answers 404, the Client posts once to
// BaseURL + "/oauth/v2/token" (where Telenor's samples post it) and keeps
// the path that answered; one you set is used as set.
type Endpoint struct {
	PasswordTokenURL string // default BaseURL + "/oauth/token"
	AuthURL          string // default BaseURL + "/oauth/v2/authorize"
	TokenURL         string // default BaseURL + "/oauth/v2/token"
	LogoutURL        string // default BaseURL + "/oauth/v2/logout"
}

// Config configures a Client. ClientID and ClientSecret are required; every
// other field has a working default.
//
// Its String, Format, LogValue and MarshalJSON redact the secret and URLs'
// user info and queries, so printing, logging or encoding a Config is safe.
type Config struct {
	// ClientID and ClientSecret (from "your apps" in the developer dashboard)
	// go to the token endpoints in HTTP Basic, each form-encoded (RFC 6749 §2.3.1).
	ClientID     string
	ClientSecret string

	// BaseURL is the gateway every endpoint and API URL derives from:
	// scheme and host only (user info, a path, query or fragment is refused).
	// Default DefaultBaseURL. Plain http is refused except to loopback hosts.
	BaseURL string

	// Endpoint overrides single OAuth URLs.
	Endpoint Endpoint

	// RedirectURL is sent as redirect_uri only when set: Telenor registers
	// the callback per app in its dashboard.
	RedirectURL string

	// HTTPClient is used for every request the SDK makes. Default: a
	// clone of http.DefaultTransport (proxy from HTTPS_PROXY) keeping 64 idle
	// connections per host (net/http's default of 2 makes concurrent callers
	// open connections; size your own client's pool likewise), with a 60 s
	// timeout per request (a typed method waits for its first token outside it).
	// NewClient copies *HTTPClient: changing it later changes nothing.
	// Token requests never follow a redirect: they carry the client secret.
	HTTPClient *http.Client

	// Logger receives the SDK's diagnostics. Nil logs nothing. Secrets never
	// appear in its records.
	Logger *slog.Logger

	// Retry is the policy for 429, 5xx and connection failures. Zero values
	// mean the defaults documented on RetryPolicy; negative ones are refused.
	Retry RetryPolicy

	// TokenTimeout bounds one shared token fetch, retries included,
	// independently of any caller's context. Default 30 seconds.
	TokenTimeout time.Duration

	// TokenStore shares system users' tokens between the replicas of a
	// fleet (see TokenStore). Nil: each Client fetches its own.
	TokenStore TokenStore
	// Observer, if set, is told of every operation, API attempt, token
	// fetch and token wait, for traces and metrics; see Observer. The
	// module github.com/telenor-go/telenor/telenorotel provides one for
	// OpenTelemetry. Nil observes nothing, at no cost.
	Observer Observer
}

// RetryPolicy controls retries of token requests and idempotent API calls
// on 429 (spike arrest), 5xx and connection failures. The authorization-code
// exchange is never retried: a code works once.
type RetryPolicy struct {
	// MaxAttempts counts the first try. 0 means 3; 1 disables retries.
	// For API calls it counts requests that reached the wire: net/http
	// itself resends a GET once when a reused keep-alive connection fails
	// before answering, and that resend counts as an attempt.
	MaxAttempts int
	// BaseDelay is the first backoff before jitter. 0 means 200ms.
	BaseDelay time.Duration
	// MaxDelay caps a computed backoff. 0 means 5s.
	MaxDelay time.Duration
	// MaxRetryAfter caps how long a server's Retry-After may make the SDK
	// wait inside one call. 0 means 30s.
	MaxRetryAfter time.Duration
	// RetryQuota also retries 429 with gateway code 42901 (quota exceeded).
	// Off by default: a quota window is usually longer than a caller waits.
	RetryQuota bool
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	p.MaxAttempts = cmp.Or(p.MaxAttempts, 3) // NewClient refuses negative values
	p.BaseDelay = cmp.Or(p.BaseDelay, 200*time.Millisecond)
	p.MaxDelay = cmp.Or(p.MaxDelay, 5*time.Second)
	p.MaxRetryAfter = cmp.Or(p.MaxRetryAfter, 30*time.Second)
	return p
}

func (c *Client) backoffPolicy() backoff.Policy {
	return backoff.Policy{Base: c.retry.BaseDelay, Max: c.retry.MaxDelay, MaxRetryAfter: c.retry.MaxRetryAfter}
}

// Client is the entry point: it holds the app's configuration and creates
// sessions. A Client is safe for concurrent use; create one per app.
type Client struct {
	clientID  string
	apiBase   *url.URL // Bearer tokens go to this scheme and host only,
	logoutURL *url.URL // and to this URL
	endpoint  Endpoint // resolved URLs
	// The OAuth configs hold the client secret, so they are kept behind
	// pointers: a %s or %t of a session, which prints its *Client with
	// %v, then shows their addresses only.
	authCode *oauth2.Config
	// password is the password grant's config in use: the default path
	// until it answers 404 and fallback answers instead (see
	// passwordOnce). fallback is nil when the user set PasswordTokenURL.
	password   atomic.Pointer[oauth2.Config]
	fallback   *oauth2.Config
	httpClient *http.Client
	tokenHTTP  *http.Client // httpClient without redirects, behind tokenTransport
	// What every session's HTTPClient shares: its redirect policy, and
	// header values that are never modified in place.
	apiRedirect           func(*http.Request, []*http.Request) error
	acceptJSON, userAgent []string
	logger                *slog.Logger
	retry                 RetryPolicy
	tokenWait             time.Duration
	store                 *fleet.Link // nil without Config.TokenStore
	observer              Observer    // nil: none
}

// NewClient checks cfg and returns a Client. Errors match ErrInvalidConfig
// and name the field at fault.
func NewClient(cfg Config) (*Client, error) {
	if err := cmp.Or(endpoint.Credential("ClientID", cfg.ClientID), endpoint.Credential("ClientSecret", cfg.ClientSecret)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"TokenTimeout", cfg.TokenTimeout}, {"Retry.MaxAttempts", time.Duration(cfg.Retry.MaxAttempts)},
		{"Retry.BaseDelay", cfg.Retry.BaseDelay}, {"Retry.MaxDelay", cfg.Retry.MaxDelay}, {"Retry.MaxRetryAfter", cfg.Retry.MaxRetryAfter}} {
		if f.v < 0 {
			return nil, configError(f.name, "is negative; 0 means the default")
		}
	}
	base, err := endpoint.ParseBase(cmp.Or(cfg.BaseURL, DefaultBaseURL), DefaultBaseURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	ep, err := resolveEndpoint(base, cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.RedirectURL != "" {
		if u, err := url.Parse(cfg.RedirectURL); err != nil || !u.IsAbs() || u.Host == "" || u.User != nil || u.Fragment != "" {
			return nil, configError("RedirectURL", "must be an absolute URL without user info or fragment (RFC 6749 §3.1.2)")
		}
	}
	return newClient(cfg, base, ep), nil
}

// httpClient is a copy of hc (later changes to the caller's do not apply),
// or the Client's own: see Config.HTTPClient.
func httpClient(hc *http.Client) *http.Client {
	if hc == nil {
		return &http.Client{Transport: endpoint.DefaultTransport(), Timeout: 60 * time.Second}
	}
	copied := *hc
	return &copied
}

func newClient(cfg Config, base *url.URL, ep Endpoint) *Client {
	hc := httpClient(cfg.HTTPClient)
	logger := cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	c := &Client{
		clientID:   cfg.ClientID,
		apiBase:    base,
		endpoint:   ep,
		httpClient: hc,
		tokenHTTP:  newTokenHTTPClient(hc),
		logger:     logger,
		retry:      cfg.Retry.withDefaults(),
		tokenWait:  cmp.Or(cfg.TokenTimeout, 30*time.Second),
		observer:   cfg.Observer,
	}
	if cfg.TokenStore != nil {
		c.store = fleet.NewLink(cfg.TokenStore, logger)
	}
	c.logoutURL, _ = url.Parse(ep.LogoutURL) // checked by resolveEndpoint
	c.apiRedirect = endpoint.CheckRedirect(base, noRedirect, hc.CheckRedirect)
	c.acceptJSON, c.userAgent = []string{"application/json"}, []string{userAgent}
	c.authCode = &oauth2.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		RedirectURL:  cfg.RedirectURL,
		Endpoint: oauth2.Endpoint{
			AuthURL:   ep.AuthURL,
			TokenURL:  ep.TokenURL,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
	password := *c.authCode
	password.RedirectURL = ""
	password.Endpoint.TokenURL = ep.PasswordTokenURL
	c.password.Store(&password)
	if cfg.Endpoint.PasswordTokenURL == "" {
		fallback := password
		fallback.Endpoint.TokenURL = base.JoinPath(gateway.TokenPath).String()
		c.fallback = &fallback
	}
	return c
}

// Endpoint returns the resolved OAuth URLs the Client uses. Its
// PasswordTokenURL is the one in use: BaseURL + "/oauth/v2/token" once the
// default path answered 404 and that one did not.
func (c *Client) Endpoint() Endpoint {
	ep := c.endpoint
	ep.PasswordTokenURL = c.password.Load().Endpoint.TokenURL
	return ep
}

// resolveEndpoint fills empty Endpoint fields from base and checks every URL.
func resolveEndpoint(base *url.URL, ep Endpoint) (Endpoint, error) {
	var err error
	for _, f := range []struct {
		name, path string
		v          *string
	}{
		{"Endpoint.PasswordTokenURL", gateway.PasswordTokenPath, &ep.PasswordTokenURL},
		{"Endpoint.AuthURL", gateway.AuthPath, &ep.AuthURL},
		{"Endpoint.TokenURL", gateway.TokenPath, &ep.TokenURL},
		{"Endpoint.LogoutURL", gateway.LogoutPath, &ep.LogoutURL},
	} {
		if *f.v, err = endpoint.Resolve(base, f.path, f.name, *f.v); err != nil {
			return Endpoint{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
	}
	return ep, nil
}

// redacted is what every secret prints as.
const redacted = "[REDACTED]"

// MarshalJSON encodes the Config's settings with the secret redacted (an
// empty one stays empty), and so are URLs' user info and queries.
// HTTPClient, Logger and Observer, live objects, are left out. The fields
// are listed, not copied, so a field added later cannot leak.
func (c Config) MarshalJSON() ([]byte, error) {
	secret := c.ClientSecret
	if secret != "" {
		secret = redacted
	}
	ep, r := c.Endpoint, endpoint.Redact
	ep = Endpoint{r(ep.PasswordTokenURL), r(ep.AuthURL), r(ep.TokenURL), r(ep.LogoutURL)}
	return json.Marshal(struct {
		ClientID, ClientSecret, BaseURL string
		Endpoint                        Endpoint
		RedirectURL                     string
		Retry                           RetryPolicy
		TokenTimeout                    time.Duration
	}{c.ClientID, secret, r(c.BaseURL), ep, r(c.RedirectURL), c.Retry, c.TokenTimeout})
}

// String describes the Config without its secret.
func (c Config) String() string {
	return fmt.Sprintf("telenor.Config{ClientID: %q, ClientSecret: %s, BaseURL: %q, RedirectURL: %q}",
		c.ClientID, redacted, endpoint.Redact(c.BaseURL), endpoint.Redact(c.RedirectURL))
}

// Format makes every fmt verb, %#v and %d included, print String's
// redacted form.
func (c Config) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue implements slog.LogValuer with the secret redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", redacted),
		slog.String("base_url", endpoint.Redact(c.BaseURL)),
	)
}

// String describes the Client without its secret.
func (c *Client) String() string {
	if c == nil {
		return "telenor.Client(nil)"
	}
	return fmt.Sprintf("telenor.Client{ClientID: %q, ClientSecret: %s, BaseURL: %q}", c.clientID, redacted, c.apiBase)
}

// Format makes every fmt verb, %#v and %d included, print String's
// redacted form.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue implements slog.LogValuer with the secret redacted.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }
