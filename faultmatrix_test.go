package telenor

import (
	"errors"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

// The fault matrix: every way the token endpoint and the API can fail,
// each row with the exact outcome the SDK gives and the exact requests it
// makes. Everything runs in process in synctest bubbles, so backoff and
// hangs take virtual time and the times asserted are exact outcomes of
// the retry policy (defaults: 3 attempts, Retry-After honoured, 30 s
// TokenTimeout), not wall-clock limits. The "Failure behaviour" section
// of docs/failures.md is this table in prose; keep the two in step.

// wantAuthStatus checks for an *AuthError with the given HTTP status.
func wantAuthStatus(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *AuthError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, status, ae.StatusCode)
	}
}

// wantIs checks errors.Is(err, target) for every target.
func wantIs(targets ...error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		for _, target := range targets {
			assert.ErrorIs(t, err, target)
		}
	}
}

func both(checks ...func(*testing.T, error)) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		for _, c := range checks {
			c(t, err)
		}
	}
}

// tokenBody is a 200 token response with the given expires_in JSON.
func tokenBody(expiresIn string) telenortest.Fault {
	body := `{"access_token":"matrix-token"`
	if expiresIn != "" {
		body += `,"expires_in":` + expiresIn
	}
	return telenortest.Fault{Status: 200, Body: body + "}"}
}

// tokenFaultRow is one row of the token endpoint's fault matrix.
type tokenFaultRow struct {
	name  string
	fault telenortest.Fault // on every token request
	// Outcome of one SystemSession.Token call:
	life     time.Duration           // success: the token's lifetime from the send
	check    func(*testing.T, error) // failure: what the error must match
	requests int                     // token requests made
	elapsed  time.Duration           // virtual time the call took
}

// tokenFaultRows is the token endpoint's fault matrix.
func tokenFaultRows() []tokenFaultRow {
	return []tokenFaultRow{
		{"500", telenortest.Fault{Status: 500, Code: 50001}, 0, wantAuthStatus(500), 3, -1},
		{"503 + Retry-After 7", telenortest.Fault{Status: 503, RetryAfter: "7"}, 0, wantAuthStatus(503), 3, 14 * time.Second},
		{"429 42901 quota", telenortest.Fault{Status: 429, Code: CodeQuotaExceeded}, 0, both(wantAuthStatus(429), wantIs(ErrRateLimited)), 1, 0},
		{"429 42902 spike arrest", telenortest.Fault{Status: 429, Code: CodeSpikeArrest}, 0, both(wantAuthStatus(429), wantIs(ErrRateLimited)), 3, -1},
		{"hang", telenortest.Fault{Hang: true}, 0, wantIs(ErrTokenTimeout), 1, 30 * time.Second},
		{"connection reset", telenortest.Fault{Reset: true}, 0, wantIs(syscall.ECONNRESET), 3, -1},
		{"malformed JSON", telenortest.Fault{Status: 200, Shape: telenortest.ShapeMalformedJSON}, 0, wantIs(ErrMalformedResponse), 1, 0},
		{"HTML error page 502", telenortest.Fault{Status: 502, Shape: telenortest.ShapeHTML}, 0, wantAuthStatus(502), 3, -1},
		{"HTML page with 200", telenortest.Fault{Status: 200, Shape: telenortest.ShapeHTML}, 0, wantIs(ErrMalformedResponse), 1, 0},
		{"empty 200", telenortest.Fault{Status: 200, Shape: telenortest.ShapeEmpty}, 0, wantIs(ErrMalformedResponse), 1, 0},
		{"10 MB body", telenortest.Fault{Status: 200, Size: 10 << 20}, 0, wantIs(ErrMalformedResponse), 1, 0},
		{"400 invalid_grant", telenortest.Fault{Status: 400, Body: `{"error":"invalid_grant"}`}, 0, both(wantAuthStatus(400), wantIs(ErrInvalidGrant)), 1, 0},
		{"401 empty body", telenortest.Fault{Status: 401, Shape: telenortest.ShapeEmpty}, 0, both(wantAuthStatus(401), wantIs(ErrInvalidClient)), 1, 0},
		{"200 with gateway error 40108", telenortest.Fault{Status: 200, Code: gateway.CodeInvalidClient}, 0, both(wantAuthStatus(200), wantIs(ErrInvalidClient)), 1, 0},
		{"302 to another host", telenortest.Fault{Status: 302, Redirect: "https://elsewhere.example/oauth/token"}, 0, wantAuthStatus(302), 1, 0},
		{"expires_in string", tokenBody(`"3599"`), 3599 * time.Second, nil, 1, 0},
		{"expires_in missing", tokenBody(""), DefaultTokenLifetime, nil, 1, 0},
		{"expires_in zero", tokenBody("0"), DefaultTokenLifetime, nil, 1, 0},
		{"expires_in negative", tokenBody("-60"), DefaultTokenLifetime, nil, 1, 0},
		{"expires_in huge", tokenBody("99999999999"), maxTokenLifetime, nil, 1, 0},
		{"expires_in non-numeric", tokenBody(`"soon"`), 0, wantIs(ErrMalformedResponse), 1, 0},
		{"expires_in fractional", tokenBody("3599.5"), 0, wantIs(ErrMalformedResponse), 1, 0},
	}
}

func TestFaultMatrixTokenEndpoint(t *testing.T) {
	tests := tokenFaultRows()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t)
				srv.Fail(telenortest.PasswordTokenPath, 1<<20, tt.fault)
				start := time.Now()
				tok, err := systemSession(cli).Token(t.Context())
				took := time.Since(start)
				assert.Equal(t, tt.requests, srv.TokenRequests(), "token requests")
				if tt.elapsed >= 0 {
					assert.Equal(t, tt.elapsed, took, "virtual time")
				}
				if tt.check == nil {
					require.NoError(t, err)
					assert.Equal(t, "matrix-token", tok.AccessToken)
					assert.Equal(t, start.Add(tt.life), tok.Expiry, "expiry counts from the send")
					return
				}
				require.Error(t, err)
				assert.Nil(t, tok)
				tt.check(t, err)
			})
		})
	}
}

// hostRouter serves the API host from the fake gateway and every other
// host from a recorder of Authorization headers, all in process.
type hostRouter struct {
	api   http.Handler
	mu    sync.Mutex
	other []string // Authorization seen by other hosts
}

func (h *hostRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Host == "127.0.0.1" {
		h.api.ServeHTTP(w, r)
		return
	}
	h.mu.Lock()
	h.other = append(h.other, r.Header.Get("Authorization"))
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"mobileNumber":"4700000000"}`))
}

// matrixClient returns an in-process fake gateway made with opts, the
// router in front of it, and a Client whose API host is the fake's.
func matrixClient(t *testing.T, opts ...telenortest.Option) (*telenortest.Server, *hostRouter, *Client) {
	t.Helper()
	srv := telenortest.NewUnstartedServer(opts...)
	router := &hostRouter{api: srv.Handler()}
	cli, err := NewClient(Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:    "http://127.0.0.1",
		HTTPClient: &http.Client{Transport: &memhttp.Transport{Handler: router}},
	})
	require.NoError(t, err)
	return srv, router, cli
}

func (h *hostRouter) seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.other...)
}

// apiFaultRow is one row of the API's fault matrix.
type apiFaultRow struct {
	name    string
	system  bool // a system user's Session (can replay after a 401) calling Organizations; else a user Session calling UserInfo
	fault   telenortest.Fault
	times   int // how many requests get the fault
	check   func(*testing.T, any, error)
	api     int // requests to the API path
	tokens  int // requests to the token endpoint
	elapsed time.Duration
}

// apiFaultRows is the API's fault matrix.
func apiFaultRows() []apiFaultRow {
	const huge = 100 << 20
	return []apiFaultRow{
		{"401 40105, system user: new token, replayed once", true,
			telenortest.Fault{Status: 401, Code: gateway.CodeTokenInvalid}, 1, wantInfo, 2, 2, 0},
		{"401 40106, system user: new token, replayed once", true,
			telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired}, 1, wantInfo, 2, 2, 0},
		{"401 40106 persistent, system user: no loop", true,
			telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired}, 1 << 20, wantAPIError(401, gateway.CodeTokenExpired), 2, 2, 0},
		{"401 40105, user: reauthenticate", false,
			telenortest.Fault{Status: 401, Code: gateway.CodeTokenInvalid}, 1, both3(wantAPIError(401, gateway.CodeTokenInvalid), wantErrIs(ErrReauthenticate)), 1, 0, 0},
		{"401 40106, user: reauthenticate", false,
			telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired}, 1, both3(wantAPIError(401, gateway.CodeTokenExpired), wantErrIs(ErrReauthenticate)), 1, 0, 0},
		{"403 40301 invalid scope: not retried", false,
			telenortest.Fault{Status: 403, Code: gateway.CodeInvalidScope}, 1 << 20, wantAPIError(403, gateway.CodeInvalidScope), 1, 0, 0},
		{"404 4042000: not retried", false,
			telenortest.Fault{Status: 404, Code: gateway.CodeBackendNotFound}, 1 << 20, wantAPIError(404, gateway.CodeBackendNotFound), 1, 0, 0},
		{"429 42902 spike arrest: retried, then recovers", false,
			telenortest.Fault{Status: 429, Code: CodeSpikeArrest, RetryAfter: "2"}, 2, wantInfo, 3, 0, 4 * time.Second},
		{"429 42902 persistent: 3 attempts", false,
			telenortest.Fault{Status: 429, Code: CodeSpikeArrest, RetryAfter: "2"}, 1 << 20, both3(wantAPIError(429, CodeSpikeArrest), wantErrIs(ErrRateLimited)), 3, 0, 4 * time.Second},
		{"429 42901 quota: not retried", false,
			telenortest.Fault{Status: 429, Code: CodeQuotaExceeded}, 1 << 20, both3(wantAPIError(429, CodeQuotaExceeded), wantErrIs(ErrRateLimited)), 1, 0, 0},
		{"500 50001 persistent: 3 attempts", false,
			telenortest.Fault{Status: 500, Code: 50001}, 1 << 20, wantAPIError(500, 50001), 3, 0, -1},
		{"503 HTML once: retried, recovers", false,
			telenortest.Fault{Status: 503, Shape: telenortest.ShapeHTML}, 1, wantInfo, 2, 0, -1},
		{"truncated body: malformed, not retried", false,
			telenortest.Fault{Status: 200, Body: `{"mobileNumber":"47999`}, 1 << 20, wantErr(ErrMalformedResponse), 1, 0, 0},
		{"wrong content type, JSON body: decoded", false,
			telenortest.Fault{Status: 200, Body: `{"mobileNumber":"4711111111"}`, ContentType: "text/plain"}, 1,
			func(t *testing.T, u any, err error) {
				require.NoError(t, err)
				assert.Equal(t, "4711111111", u.(*UserInfo).MobileNumber)
			}, 1, 0, 0},
		{"wrong content type, HTML body: malformed", false,
			telenortest.Fault{Status: 200, Shape: telenortest.ShapeHTML}, 1 << 20, wantErr(ErrMalformedResponse), 1, 0, 0},
		{"100 MB body: malformed, capped, not retried", false,
			telenortest.Fault{Status: 200, Size: huge}, 1 << 20, wantErr(ErrMalformedResponse), 1, 0, 0},
		{"redirect to another host: followed without the token", false,
			telenortest.Fault{Redirect: "http://other.example/elsewhere"}, 1,
			func(t *testing.T, u any, err error) {
				require.NoError(t, err)
				assert.Equal(t, "4700000000", u.(*UserInfo).MobileNumber, "the other host's answer")
			}, 1, 0, 0},
	}
}

func TestFaultMatrixAPI(t *testing.T) {
	tests := apiFaultRows()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, router, cli := matrixClient(t)
				user, sys := userSession(cli, srv), systemSession(cli)
				path := telenortest.UserInfoPath
				do := func() (any, error) { return user.UserInfo(t.Context()) }
				if tt.system {
					path = telenortest.OrganizationsPath
					do = func() (any, error) { return sys.Organizations(t.Context()) }
				}
				srv.Fail(path, tt.times, tt.fault)
				start := time.Now()
				v, err := do()
				took := time.Since(start)
				tt.check(t, v, err)
				assert.Equal(t, tt.api, srv.Requests(path), "API requests")
				assert.Equal(t, tt.tokens, srv.TokenRequests(), "token requests")
				if tt.elapsed >= 0 {
					assert.Equal(t, tt.elapsed, took, "virtual time")
				}
				for _, auth := range router.seen() {
					assert.Empty(t, auth, "no Authorization header reaches another host")
				}
				if tt.fault.Redirect != "" {
					assert.Len(t, router.seen(), 1, "the redirect was followed")
				}
				if !tt.system && errors.Is(err, ErrReauthenticate) {
					_, again := do()
					assert.ErrorIs(t, again, ErrReauthenticate)
					assert.Equal(t, tt.api, srv.Requests(path), "a rejected user token is not sent again")
				}
			})
		})
	}
}

// wantInfo expects the subscriber's user info, or the organizations.
func wantInfo(t *testing.T, v any, err error) {
	t.Helper()
	require.NoError(t, err)
	switch v := v.(type) {
	case *UserInfo:
		assert.Equal(t, telenortest.DefaultSubscriber().MobileNumber, v.MobileNumber)
	case []Organization:
		assert.NotEmpty(t, v)
	default:
		t.Fatalf("unexpected value %T", v)
	}
}

func wantAPIError(status, code int) func(*testing.T, any, error) {
	return func(t *testing.T, v any, err error) {
		t.Helper()
		assert.Nil(t, v)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, status, ae.StatusCode)
		assert.Equal(t, code, ae.Code)
	}
}

func wantErrIs(target error) func(*testing.T, any, error) {
	return func(t *testing.T, _ any, err error) {
		t.Helper()
		assert.ErrorIs(t, err, target)
	}
}

func wantErr(target error) func(*testing.T, any, error) {
	return func(t *testing.T, v any, err error) {
		t.Helper()
		assert.Nil(t, v)
		assert.ErrorIs(t, err, target)
	}
}

func both3(checks ...func(*testing.T, any, error)) func(*testing.T, any, error) {
	return func(t *testing.T, u any, err error) {
		t.Helper()
		for _, c := range checks {
			c(t, u, err)
		}
	}
}

// The token fault matrix seen through the API: a system user's call
// whose token cannot be had returns the token's error as it is, and never
// reaches the API.
func TestFaultMatrixTokenThroughAPI(t *testing.T) {
	for _, f := range []telenortest.Fault{
		{Status: 500, Code: 50001},
		{Status: 429, Code: CodeQuotaExceeded},
		{Status: 200, Shape: telenortest.ShapeHTML},
	} {
		t.Run(f.Shape.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t)
				srv.Fail(telenortest.PasswordTokenPath, 1<<20, f)
				_, err := systemSession(cli).Organizations(t.Context())
				var ae *AuthError
				if !errors.As(err, &ae) {
					assert.ErrorIs(t, err, ErrMalformedResponse)
				}
				assert.Zero(t, srv.Requests(telenortest.OrganizationsPath), "no API request without a token")
				var re *oauth2.RetrieveError
				if errors.As(err, &re) {
					assert.NotContains(t, err.Error(), string(re.Body), "bodies are not quoted")
				}
			})
		})
	}
}
