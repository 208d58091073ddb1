package telenor

import (
	"github.com/telenor-go/telenor/internal/wire"

	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

func errorResponse(status int, body []byte, header http.Header) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body))}
}

func TestNewAPIErrorShapes(t *testing.T) {
	for _, tc := range []struct {
		file              string
		status            int
		header            http.Header
		code              int
		codeText, message string
		requestID         string
		retryAfter        time.Duration
	}{
		{"error_telenor.json", 401, http.Header{"X-Request-Id": {"req-123"}}, 40106, "", "Access token expired", "req-123", 0},
		{"error_apigee.json", 429, http.Header{"Retry-After": {"3"}, "X-Correlation-Id": {"corr-9"}}, 0,
			"policies.ratelimit.SpikeArrestViolation", "Spike arrest violation. Allowed rate : 10ps", "corr-9", 3 * time.Second},
		{"error_oauth.json", 401, nil, 0, "", "The access token is invalid", "", 0},
		{"error_backend.json", 404, nil, gateway.CodeBackendNotFound, "", "Resource not found on the back-end server", "", 0},
		{"error.html", 502, http.Header{"Retry-After": {time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}}, 0, "", "", "", time.Hour},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body := readTestdata(t, tc.file)
			ae := newAPIError(httptest.NewRequest("GET", "/p", nil), errorResponse(tc.status, body, tc.header))
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, tc.codeText, ae.CodeText)
			assert.Equal(t, tc.message, ae.Message)
			assert.Equal(t, tc.requestID, ae.RequestID)
			assert.InDelta(t, tc.retryAfter, ae.RetryAfter, float64(2*time.Second))
			assert.Equal(t, body, ae.Body, "the raw body is kept")
			assert.Contains(t, ae.Error(), http.StatusText(tc.status))
		})
	}
}

func TestNewAPIErrorCapsBody(t *testing.T) {
	ae := newAPIError(httptest.NewRequest("GET", "/p", nil), errorResponse(500, bytes.Repeat([]byte("x"), 1<<20), nil))
	assert.Len(t, ae.Body, maxErrorBody)
}

// TestErrorRows checks each API row of the error table in docs/failures.md
// end to end.
func TestErrorRows(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   telenortest.Fault
		code    int
		is      error
		isNot   error
		retried bool
	}{
		{"40301 invalid scope", telenortest.Fault{Status: 403, Code: 40301}, 40301, nil, ErrRateLimited, false},
		{"4042000 back end missing", telenortest.Fault{Status: 404, Code: 4042000}, 4042000, nil, ErrReauthenticate, false},
		{"500100 not fixed width", telenortest.Fault{Status: 500, Code: 500100}, 500100, nil, ErrRateLimited, true},
		{"42901 quota", telenortest.Fault{Status: 429, Code: 42901, RetryAfter: "60"}, 42901, ErrRateLimited, nil, false},
		{"42902 spike arrest", telenortest.Fault{Status: 429, Code: 42902}, 42902, ErrRateLimited, nil, true},
		{"50002 acr", telenortest.Fault{Status: 500, Code: 50002}, 50002, nil, nil, false},
		{"40105 user token", telenortest.Fault{Status: 401, Code: 40105}, 40105, ErrReauthenticate, ErrRateLimited, false},
		{"40106 user token", telenortest.Fault{Status: 401, Code: 40106, Shape: telenortest.ShapeApigee}, 40106, ErrReauthenticate, nil, false},
		{"40103 no product", telenortest.Fault{Status: 401, Code: 40103}, 40103, nil, ErrReauthenticate, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := telenortest.NewServer()
			cli := newTestClient(t, srv, func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond} })
			srv.Fail(telenortest.UserInfoPath, 5, tc.fault)
			_, err := userSession(cli, srv).UserInfo(t.Context())
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.fault.Status, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			if tc.isNot != nil {
				assert.NotErrorIs(t, err, tc.isNot)
			}
			if tc.fault.RetryAfter != "" {
				assert.Equal(t, time.Minute, ae.RetryAfter)
			}
			want := map[bool]int{false: 1, true: 2}[tc.retried]
			assert.Equal(t, want, srv.Requests(telenortest.UserInfoPath))
		})
	}
}

func TestMalformedAnswers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault telenortest.Fault
		quote string
	}{
		{"HTML 200", telenortest.Fault{Status: 200, Shape: telenortest.ShapeHTML}, "<!DOCTYPE html>"},
		{"truncated JSON", telenortest.Fault{Status: 200, Shape: telenortest.ShapeMalformedJSON}, `{\"access_token\":\"abc\",\"expi`},
		{"empty", telenortest.Fault{Status: 200, Shape: telenortest.ShapeEmpty}, `""`},
		{"text", telenortest.Fault{Body: "OK!", ContentType: "text/plain"}, "text/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := telenortest.NewServer()
			cli := newTestClient(t, srv)
			s := userSession(cli, srv)
			tok, _ := s.Token(t.Context())
			srv.Fail(telenortest.UserInfoPath, 1, tc.fault)
			_, err := s.UserInfo(t.Context())
			assert.ErrorIs(t, err, ErrMalformedResponse)
			assert.Contains(t, err.Error(), tc.quote, "the error keeps the start of the body")
			assert.NotContains(t, err.Error(), tok.AccessToken)
		})
	}
}

func TestNilSessionIsInvalidConfig(t *testing.T) {
	var u *UserSession
	_, err := u.UserInfo(t.Context())
	assert.ErrorIs(t, err, ErrInvalidConfig)
	assert.ErrorIs(t, u.Logout(t.Context()), ErrInvalidConfig)
	assert.Nil(t, u.HTTPClient())
	var s *SystemSession
	_, err = s.Organizations(t.Context())
	assert.ErrorIs(t, err, ErrInvalidConfig)
	for _, err := range s.Accounts(t.Context(), AccountsOptions{}) {
		assert.ErrorIs(t, err, ErrInvalidConfig)
	}
	assert.ErrorIs(t, s.Logout(t.Context()), ErrInvalidConfig)
	assert.Nil(t, s.HTTPClient())
}

func FuzzAPIError(f *testing.F) {
	for _, name := range []string{"error_telenor.json", "error_apigee.json", "error_oauth.json", "error_backend.json", "error.html"} {
		f.Add(401, readTestdata(f, name), "5")
	}
	f.Add(429, []byte(`{"errorCode":"99999999999999999999","error":{"code":-1}}`), "Sun, 06 Nov 1994 08:49:37 GMT")
	f.Add(500, []byte("\xff\xfe{\"message\":\"\x00\""), "-1")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		resp := errorResponse(status, body, http.Header{"Retry-After": {retryAfter}, "X-Request-Id": {string(body)}})
		ae := newAPIError(httptest.NewRequest("GET", "/p", nil), resp)
		msg := ae.Error()
		if len(ae.Body) > maxErrorBody || ae.RetryAfter < 0 || ae.Code < 0 {
			t.Fatalf("bad APIError %+v", ae)
		}
		if !utf8.ValidString(ae.Message) || !utf8.ValidString(ae.RequestID) || strings.ContainsAny(ae.Message+ae.RequestID, "\r\x00") {
			t.Fatalf("unsafe text in %q", msg)
		}
		_ = wire.RejectedToken(ae.StatusCode, ae.Code, ae.CodeText)
	})
}

// Server text reaches APIError.Error() on one line, without control
// characters and capped, so an error logged as text cannot forge log
// lines or drive a terminal.
func TestAPIErrorTextIsSanitised(t *testing.T) {
	hostile := "line one\r\nlevel=INFO msg=forged\x1b[31m red\u202e" + strings.Repeat("æ", 5000)
	body := `{"errorCode":"x\ny","description":"` + strings.NewReplacer("\r", `\r`, "\n", `\n`, "\x1b", `\u001b`).Replace(hostile) + `"}`
	ae := newAPIError(httptest.NewRequest("GET", "/p", nil), errorResponse(500, []byte(body), http.Header{"X-Request-Id": {"id\x1b[2J"}}))
	msg := ae.Error()
	assert.NotContains(t, msg, "\n")
	assert.NotContains(t, msg, "\r")
	assert.NotContains(t, msg, "\x1b")
	assert.NotContains(t, msg, "\u202e")
	assert.Contains(t, msg, "line one level=INFO msg=forged")
	assert.Contains(t, msg, "…")
	assert.LessOrEqual(t, utf8.RuneCountInString(msg), 600, "capped: %d runes", utf8.RuneCountInString(msg))
}
