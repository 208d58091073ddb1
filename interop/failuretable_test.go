package interop

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// The "Failure behaviour" tables of docs/failures.md, row by row, through
// toxiproxy on real sockets: the outcome and the requests that reached the
// server.
// Differences from the tables' in-process rows, all about time, none
// about counts: Retry-After values are 1 s instead of 7 s and 2 s (the
// count is the same; the wait is real here), and a hang is bounded by a
// 1 s TokenTimeout instead of 30 s. A reset by the server reaches the SDK
// through the proxy as a closed connection, so that row checks for a
// connection failure; TestToxicResetPeer checks ECONNRESET itself.

// tokenRow is one row of the token table in docs/failures.md.
type tokenRow struct {
	name     string
	fault    telenortest.Fault
	check    func(t *testing.T, tok *oauth2.Token, err error, sent, got time.Time)
	requests int
}

func TestReadmeFailureTableToken(t *testing.T) {
	rows := []tokenRow{
		{"500 (50001)", telenortest.Fault{Status: 500, Code: 50001}, wantAuth(500), 3},
		{"502 HTML page", telenortest.Fault{Status: 502, Shape: telenortest.ShapeHTML}, wantAuth(502), 3},
		{"503 + Retry-After", telenortest.Fault{Status: 503, RetryAfter: "1"}, wantAuth(503), 3},
		{"429 42901 quota", telenortest.Fault{Status: 429, Code: telenor.CodeQuotaExceeded}, wantAuth(429, telenor.ErrRateLimited), 1},
		{"429 42902 spike arrest", telenortest.Fault{Status: 429, Code: telenor.CodeSpikeArrest}, wantAuth(429, telenor.ErrRateLimited), 3},
		{"hangs", telenortest.Fault{Hang: true}, func(t *testing.T, _ *oauth2.Token, err error, _, _ time.Time) {
			wantTokenTimeout(t, err)
		}, 1},
		{"connection reset", telenortest.Fault{Reset: true}, func(t *testing.T, _ *oauth2.Token, err error, _, _ time.Time) {
			wantConnectionFailure(t, err)
		}, 3},
		{"200 malformed JSON", telenortest.Fault{Status: 200, Shape: telenortest.ShapeMalformedJSON}, wantTokenErr(telenor.ErrMalformedResponse), 1},
		{"200 HTML page", telenortest.Fault{Status: 200, Shape: telenortest.ShapeHTML}, wantTokenErr(telenor.ErrMalformedResponse), 1},
		{"200 empty body", telenortest.Fault{Status: 200, Shape: telenortest.ShapeEmpty}, wantTokenErr(telenor.ErrMalformedResponse), 1},
		{"200 10 MB", telenortest.Fault{Status: 200, Size: 10 << 20}, wantTokenErr(telenor.ErrMalformedResponse), 1},
		{`expires_in "3599"`, tokenWith(`"3599"`), wantLifetime(3599 * time.Second), 1},
		{"expires_in missing", tokenWith(""), wantLifetime(telenor.DefaultTokenLifetime), 1},
		{"expires_in 0", tokenWith("0"), wantLifetime(telenor.DefaultTokenLifetime), 1},
		{"expires_in negative", tokenWith("-60"), wantLifetime(telenor.DefaultTokenLifetime), 1},
		{`expires_in "soon"`, tokenWith(`"soon"`), wantTokenErr(telenor.ErrMalformedResponse), 1},
		{"expires_in 3599.5", tokenWith("3599.5"), wantTokenErr(telenor.ErrMalformedResponse), 1},
		{"expires_in huge", tokenWith("99999999999"), wantLifetime(maxTokenLifetime), 1},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			p := newProxied(t, func(c *telenor.Config) {
				if row.fault.Hang {
					c.TokenTimeout = time.Second // 30 s by default; only the hang row reaches it
				}
			})
			p.srv.Fail(telenortest.PasswordTokenPath, 1<<20, row.fault)
			sent := time.Now()
			tok, err := p.system().Token(t.Context())
			row.check(t, tok, err, sent, time.Now())
			wantRequests(t, p.srv, map[string]int{telenortest.PasswordTokenPath: row.requests})
		})
	}
}

func tokenWith(expiresIn string) telenortest.Fault {
	body := `{"access_token":"table-token"`
	if expiresIn != "" {
		body += `,"expires_in":` + expiresIn
	}
	return telenortest.Fault{Status: 200, Body: body + "}"}
}

func wantAuth(status int, is ...error) func(*testing.T, *oauth2.Token, error, time.Time, time.Time) {
	return func(t *testing.T, _ *oauth2.Token, err error, _, _ time.Time) {
		t.Helper()
		var ae *telenor.AuthError
		if !errors.As(err, &ae) || ae.StatusCode != status {
			t.Errorf("got %v, want an *AuthError with status %d", err, status)
		}
		for _, target := range is {
			if !errors.Is(err, target) {
				t.Errorf("%v does not match %v", err, target)
			}
		}
	}
}

func wantTokenErr(target error) func(*testing.T, *oauth2.Token, error, time.Time, time.Time) {
	return func(t *testing.T, _ *oauth2.Token, err error, _, _ time.Time) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("got %v, want %v", err, target)
		}
	}
}

// wantLifetime checks the token's expiry counts life from the send: it
// lies between life after the call started and life after it returned.
func wantLifetime(life time.Duration) func(*testing.T, *oauth2.Token, error, time.Time, time.Time) {
	return func(t *testing.T, tok *oauth2.Token, err error, sent, got time.Time) {
		t.Helper()
		if err != nil {
			t.Fatalf("Token: %v", err)
		}
		if tok.Expiry.Before(sent.Add(life)) || tok.Expiry.After(got.Add(life)) {
			t.Errorf("Expiry %v is not %v after the send (call from %v to %v)", tok.Expiry, life, sent, got)
		}
	}
}

// apiRow is one row of the API table in docs/failures.md.
type apiRow struct {
	name   string
	system bool // a system user calling Organizations; else an end user calling UserInfo
	fault  telenortest.Fault
	times  int
	check  func(t *testing.T, err error)
	api    int
	tokens int
}

func TestReadmeFailureTableAPI(t *testing.T) {
	const always = 1 << 20
	rows := []apiRow{
		{"401 40105 once, system user", true, telenortest.Fault{Status: 401, Code: codeTokenInvalid}, 1, wantOK, 2, 2},
		{"401 40106 once, system user", true, telenortest.Fault{Status: 401, Code: codeTokenExpired}, 1, wantOK, 2, 2},
		{"401 40106 every time, system user", true, telenortest.Fault{Status: 401, Code: codeTokenExpired}, always, wantAPI(401, codeTokenExpired), 2, 2},
		{"401 40105, end user", false, telenortest.Fault{Status: 401, Code: codeTokenInvalid}, 1, wantAPI(401, codeTokenInvalid, telenor.ErrReauthenticate), 1, 0},
		{"401 40106, end user", false, telenortest.Fault{Status: 401, Code: codeTokenExpired}, 1, wantAPI(401, codeTokenExpired, telenor.ErrReauthenticate), 1, 0},
		{"403 40301", false, telenortest.Fault{Status: 403, Code: codeInvalidScope}, always, wantAPI(403, codeInvalidScope), 1, 0},
		{"404 4042000", false, telenortest.Fault{Status: 404, Code: codeBackendMissing}, always, wantAPI(404, codeBackendMissing), 1, 0},
		{"429 42902 + Retry-After, twice", false, telenortest.Fault{Status: 429, Code: telenor.CodeSpikeArrest, RetryAfter: "1"}, 2, wantOK, 3, 0},
		{"429 42902 every time", false, telenortest.Fault{Status: 429, Code: telenor.CodeSpikeArrest, RetryAfter: "1"}, always, wantAPI(429, telenor.CodeSpikeArrest, telenor.ErrRateLimited), 3, 0},
		{"429 42901", false, telenortest.Fault{Status: 429, Code: telenor.CodeQuotaExceeded}, always, wantAPI(429, telenor.CodeQuotaExceeded, telenor.ErrRateLimited), 1, 0},
		{"500 (50001) every time", false, telenortest.Fault{Status: 500, Code: 50001}, always, wantAPI(500, 50001), 3, 0},
		{"503 HTML page once", false, telenortest.Fault{Status: 503, Shape: telenortest.ShapeHTML}, 1, wantOK, 2, 0},
		{"200, body cut short", false, telenortest.Fault{Status: 200, Body: `{"mobileNumber":"47999`}, always, wantErrIs(telenor.ErrMalformedResponse), 1, 0},
		{"200, JSON labelled text/plain", false, telenortest.Fault{Status: 200, Body: `{"mobileNumber":"4711111111"}`, ContentType: "text/plain"}, 1, wantOK, 1, 0},
		{"200, HTML page", false, telenortest.Fault{Status: 200, Shape: telenortest.ShapeHTML}, always, wantErrIs(telenor.ErrMalformedResponse), 1, 0},
		{"200, 100 MB", false, telenortest.Fault{Status: 200, Size: 100 << 20}, always, wantErrIs(telenor.ErrMalformedResponse), 1, 0},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			p := newProxied(t, nil)
			user, path := p.user(), telenortest.UserInfoPath
			call := func() error { _, err := user.UserInfo(t.Context()); return err }
			if row.system {
				sys := p.system()
				path = telenortest.OrganizationsPath
				call = func() error { _, err := sys.Organizations(t.Context()); return err }
			}
			p.srv.Fail(path, row.times, row.fault)
			err := call()
			row.check(t, err)
			wantRequests(t, p.srv, map[string]int{path: row.api})
			if got := p.srv.TokenRequests(); got != row.tokens {
				t.Errorf("token requests = %d, want %d", got, row.tokens)
			}
			if errors.Is(err, telenor.ErrReauthenticate) {
				if again := call(); !errors.Is(again, telenor.ErrReauthenticate) {
					t.Errorf("the next call: got %v, want ErrReauthenticate", again)
				}
				wantRequests(t, p.srv, map[string]int{path: row.api}) // "later calls fail the same without a request"
			}
		})
	}
	t.Run("redirect to another host", func(t *testing.T) {
		p := newProxied(t, nil)
		var mu sync.Mutex
		var auth []string
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			auth = append(auth, r.Header.Get("Authorization"))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"mobileNumber":"4700000000"}`))
		}))
		defer other.Close()
		p.srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Redirect: other.URL + "/elsewhere"})
		info, err := p.user().UserInfo(t.Context())
		if err != nil || info.MobileNumber != "4700000000" {
			t.Fatalf("got %v, %v; want the other host's answer (the redirect is followed)", info, err)
		}
		wantRequests(t, p.srv, map[string]int{telenortest.UserInfoPath: 1})
		mu.Lock()
		defer mu.Unlock()
		if len(auth) != 1 || auth[0] != "" {
			t.Errorf("the other host saw Authorization %q, want exactly one request without it", auth)
		}
	})
}

func wantOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("got %v, want success", err)
	}
}

func wantErrIs(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("got %v, want %v", err, target)
		}
	}
}

func wantAPI(status, code int, is ...error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *telenor.APIError
		if !errors.As(err, &ae) || ae.StatusCode != status || ae.Code != code {
			t.Errorf("got %v, want an *APIError %d with code %d", err, status, code)
		}
		for _, target := range is {
			if !errors.Is(err, target) {
				t.Errorf("%v does not match %v", err, target)
			}
		}
	}
}
