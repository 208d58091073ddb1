package roundtrip

import (
	"bytes"
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/telenor-go/telenor/internal/backoff"
)

// Error bodies in the shapes the gateway may send (telenor-api.md §3).
func telenorBody(code int) string {
	return fmt.Sprintf(`{"httpStatus":0,"httpMessage":"x","description":"d","errorCode":%d}`, code)
}

func apigeeBody(code string) string {
	return `{"fault":{"faultstring":"f","detail":{"errorcode":"` + code + `"}}}`
}

// timeoutError is a net.Error that timed out, as a dial timeout is.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// closeBody records a Close of the body a response came with.
type closeBody struct {
	io.Reader
	closed bool
}

func (b *closeBody) Close() error { b.closed = true; return nil }

// bodyKind is how a request carries its body.
type bodyKind int

const (
	noBody        bodyKind = iota // nil Body
	emptyBody                     // http.NoBody
	rewindable                    // a body with GetBody
	oneShot                       // a body without GetBody
	failingRewind                 // GetBody that fails
)

func newReq(t *testing.T, method string, kind bodyKind) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, "https://api.example/user-info/v1/users", nil)
	if err != nil {
		t.Fatal(err)
	}
	switch kind {
	case emptyBody:
		req.Body = http.NoBody
	case rewindable:
		req.Body = io.NopCloser(strings.NewReader("payload"))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("payload")), nil }
	case oneShot:
		req.Body = io.NopCloser(strings.NewReader("payload"))
	case failingRewind:
		req.Body = io.NopCloser(strings.NewReader("payload"))
		req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("cannot rewind") }
	}
	return req
}

func testPolicy() Policy {
	return Policy{MaxAttempts: 3, ConnError: backoff.ConnectionError, MaxPeek: 1 << 10}
}

// TestJudge runs Judge over the outcomes of one attempt and checks, for
// each, the verdict, the gateway code, the rejected flag, and the
// invariants send relies on: a Retry or Replay only for a request whose
// body can be sent again, a Retry only for a GET within the budget, a
// Replay only for a rejected token, and the error body left readable in
// full and closable.
func TestJudge(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	type tc struct {
		name      string
		method    string // GET when empty
		body      bodyKind
		status    int
		respBody  string
		nilBody   bool // a test RoundTripper's shorthand for an empty body
		err       error
		wired     int // 1 when 0
		replayed  bool
		noReplay  bool
		endUser   bool
		quota     bool
		maxTries  int // 3 when 0; -1 for 0
		want      Verdict
		wantCode  int
		wantRejct bool
	}
	tests := []tc{
		// Answers the caller gets as they are, never peeked at.
		{name: "200", status: 200, respBody: `{"sub":"1"}`, want: Done},
		{name: "200 with an error object", status: 200, respBody: telenorBody(40105), want: Done},
		{name: "204", status: 204, want: Done},
		{name: "301", status: 301, want: Done},
		{name: "302", status: 302, want: Done},
		{name: "304", status: 304, want: Done},
		{name: "400 40001", status: 400, respBody: telenorBody(40001), want: Done},
		{name: "403 40301", status: 403, respBody: telenorBody(40301), want: Done},
		{name: "403 40105 is no 401", status: 403, respBody: telenorBody(40105), want: Done},
		{name: "404 40401", status: 404, respBody: telenorBody(40401), want: Done},
		{name: "404 4042000", status: 404, respBody: telenorBody(4042000), want: Done},
		{name: "408", status: 408, want: Done},

		// 401: a new token fixes only a rejected token.
		{name: "401 40105 replays", status: 401, respBody: telenorBody(40105), want: Replay, wantCode: 40105, wantRejct: true},
		{name: "401 40106 replays", status: 401, respBody: telenorBody(40106), want: Replay, wantCode: 40106, wantRejct: true},
		{name: "401 40101", status: 401, respBody: telenorBody(40101), want: Done, wantCode: 40101},
		{name: "401 40102", status: 401, respBody: telenorBody(40102), want: Done, wantCode: 40102},
		{name: "401 40103", status: 401, respBody: telenorBody(40103), want: Done, wantCode: 40103},
		{name: "401 40104", status: 401, respBody: telenorBody(40104), want: Done, wantCode: 40104},
		{name: "401 40107", status: 401, respBody: telenorBody(40107), want: Done, wantCode: 40107},
		{name: "401 40108", status: 401, respBody: telenorBody(40108), want: Done, wantCode: 40108},
		{name: "401 code as string", status: 401, respBody: `{"code":"40106","message":"expired"}`, want: Replay, wantCode: 40106, wantRejct: true},
		{name: "401 no body blames the token", status: 401, want: Replay, wantRejct: true},
		{name: "401 nil body", status: 401, nilBody: true, want: Replay, wantRejct: true},
		{name: "401 html", status: 401, respBody: "<html>Unauthorized</html>", want: Replay, wantRejct: true},
		{name: "401 apigee invalid_access_token", status: 401, respBody: apigeeBody("keymanagement.service.invalid_access_token"), want: Replay, wantRejct: true},
		{name: "401 apigee InvalidAccessToken", status: 401, respBody: apigeeBody("oauth.v2.InvalidAccessToken"), want: Replay, wantRejct: true},
		{name: "401 apigee other fault", status: 401, respBody: apigeeBody("messaging.adaptors.http.flow.ApplicationNotFound"), want: Done},
		{name: "401 40105 end user", status: 401, respBody: telenorBody(40105), endUser: true, want: Done, wantCode: 40105, wantRejct: true},
		{name: "401 40106 already replayed", status: 401, respBody: telenorBody(40106), replayed: true, want: Done, wantCode: 40106, wantRejct: true},
		{name: "401 40105 no-replay marker", status: 401, respBody: telenorBody(40105), noReplay: true, want: Done, wantCode: 40105, wantRejct: true},
		{name: "401 40105 replayed and no-replay", status: 401, respBody: telenorBody(40105), replayed: true, noReplay: true, want: Done, wantCode: 40105, wantRejct: true},
		{name: "401 40105 POST rewindable replays", method: "POST", body: rewindable, status: 401, respBody: telenorBody(40105), want: Replay, wantCode: 40105, wantRejct: true},
		{name: "401 40105 POST one-shot body", method: "POST", body: oneShot, status: 401, respBody: telenorBody(40105), want: Done, wantCode: 40105, wantRejct: true},
		{name: "401 40105 POST NoBody replays", method: "POST", body: emptyBody, status: 401, respBody: telenorBody(40105), want: Replay, wantCode: 40105, wantRejct: true},
		{name: "401 40105 replay is outside the budget", status: 401, respBody: telenorBody(40105), wired: 3, want: Replay, wantCode: 40105, wantRejct: true},
		{name: "401 40105 replays with MaxAttempts 1", status: 401, respBody: telenorBody(40105), maxTries: 1, want: Replay, wantCode: 40105, wantRejct: true},
		{name: "401 40103 end user", status: 401, respBody: telenorBody(40103), endUser: true, want: Done, wantCode: 40103},

		// 429: spike arrest passes, a quota usually outlasts the caller.
		{name: "429 42902", status: 429, respBody: telenorBody(42902), want: Retry, wantCode: 42902},
		{name: "429 42901", status: 429, respBody: telenorBody(42901), want: Done, wantCode: 42901},
		{name: "429 42901 RetryQuota", status: 429, respBody: telenorBody(42901), quota: true, want: Retry, wantCode: 42901},
		{name: "429 apigee SpikeArrest", status: 429, respBody: apigeeBody("policies.ratelimit.SpikeArrestViolation"), want: Retry},
		{name: "429 apigee Quota", status: 429, respBody: apigeeBody("policies.ratelimit.QuotaViolation"), want: Done},
		{name: "429 no body", status: 429, want: Retry},
		{name: "429 nil body", status: 429, nilBody: true, want: Retry},
		{name: "429 42902 POST", method: "POST", body: rewindable, status: 429, respBody: telenorBody(42902), want: Done, wantCode: 42902},
		{name: "429 42902 HEAD", method: "HEAD", status: 429, respBody: telenorBody(42902), want: Done, wantCode: 42902},
		{name: "429 42902 budget spent", status: 429, respBody: telenorBody(42902), wired: 3, want: Done, wantCode: 42902},
		{name: "429 42902 GET one-shot body", body: oneShot, status: 429, respBody: telenorBody(42902), want: Done, wantCode: 42902},
		{name: "429 42902 GET rewindable body", body: rewindable, status: 429, respBody: telenorBody(42902), want: Retry, wantCode: 42902},
		{name: "429 42902 no-replay marker retries", status: 429, respBody: telenorBody(42902), noReplay: true, want: Retry, wantCode: 42902},

		// 5xx: transient unless the code says it answers the same every time.
		{name: "500 50001", status: 500, respBody: telenorBody(50001), want: Retry, wantCode: 50001},
		{name: "500 50002 acr", status: 500, respBody: telenorBody(50002), want: Done, wantCode: 50002},
		{name: "500 50003 subscription", status: 500, respBody: telenorBody(50003), want: Done, wantCode: 50003},
		{name: "500 500100", status: 500, respBody: telenorBody(500100), want: Retry, wantCode: 500100},
		{name: "500 no body", status: 500, want: Retry},
		{name: "501", status: 501, want: Done},
		{name: "502", status: 502, respBody: "<html>Bad Gateway</html>", want: Retry},
		{name: "503", status: 503, want: Retry},
		{name: "503 nil body", status: 503, nilBody: true, want: Retry},
		{name: "504", status: 504, want: Retry},
		{name: "505", status: 505, want: Done},
		{name: "503 POST", method: "POST", body: rewindable, status: 503, want: Done},
		{name: "503 PUT", method: "PUT", body: rewindable, status: 503, want: Done},
		{name: "503 DELETE", method: "DELETE", status: 503, want: Done},
		{name: "503 second attempt", status: 503, wired: 2, want: Retry},
		{name: "503 budget spent", status: 503, wired: 3, want: Done},
		{name: "503 budget overrun by a silent resend", status: 503, wired: 4, want: Done},
		{name: "503 MaxAttempts 1", status: 503, maxTries: 1, want: Done},
		{name: "503 MaxAttempts 0", status: 503, maxTries: -1, want: Done},
		{name: "503 after a replay", status: 503, replayed: true, want: Retry},

		// Connection failures: only a GET is sent again.
		{name: "dial refused", err: refused, want: Retry},
		{name: "dial refused in url.Error", err: &url.Error{Op: "Get", URL: "https://x", Err: refused}, want: Retry},
		{name: "reset", err: reset, want: Retry},
		{name: "reset wrapped", err: fmt.Errorf("conn: %w", syscall.ECONNRESET), want: Retry},
		{name: "broken pipe", err: &net.OpError{Op: "write", Err: syscall.EPIPE}, want: Retry},
		{name: "unexpected EOF", err: io.ErrUnexpectedEOF, want: Retry},
		{name: "EOF", err: io.EOF, want: Retry},
		{name: "protocol error", err: textproto.ProtocolError("malformed MIME header line"), want: Retry},
		{name: "net timeout", err: timeoutError{}, want: Retry},
		{name: "dns", err: &net.DNSError{Err: "no such host", Name: "api.example", IsTemporary: true}, want: Retry},
		{name: "canceled", err: &url.Error{Op: "Get", URL: "https://x", Err: context.Canceled}, want: Done},
		{name: "deadline", err: &url.Error{Op: "Get", URL: "https://x", Err: context.DeadlineExceeded}, want: Done},
		{name: "deadline in an OpError", err: &net.OpError{Op: "dial", Err: context.DeadlineExceeded}, want: Done},
		{name: "bare canceled", err: context.Canceled, want: Done},
		{name: "certificate", err: &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}, want: Done},
		{name: "plain error", err: errors.New("boom"), want: Done},
		{name: "refused POST", method: "POST", body: rewindable, err: refused, want: Done},
		{name: "reset POST NoBody", method: "POST", body: emptyBody, err: reset, want: Done},
		{name: "unexpected EOF PATCH", method: "PATCH", body: rewindable, err: io.ErrUnexpectedEOF, want: Done},
		{name: "reset GET one-shot body", body: oneShot, err: reset, want: Done},
		{name: "reset GET rewindable body", body: rewindable, err: reset, want: Retry},
		{name: "reset GET failing rewind body", body: failingRewind, err: reset, want: Retry},
		{name: "reset second attempt", err: reset, wired: 2, want: Retry},
		{name: "reset budget spent", err: reset, wired: 3, want: Done},
		{name: "reset MaxAttempts 1", err: reset, maxTries: 1, want: Done},
		{name: "reset after a replay", err: reset, replayed: true, want: Retry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPolicy()
			p.EndUser, p.RetryQuota = tt.endUser, tt.quota
			switch {
			case tt.maxTries < 0:
				p.MaxAttempts = 0
			case tt.maxTries > 0:
				p.MaxAttempts = tt.maxTries
			}
			req := newReq(t, cmp.Or(tt.method, http.MethodGet), tt.body)
			var resp *http.Response
			var body *closeBody
			if tt.err == nil {
				resp = &http.Response{StatusCode: tt.status, Header: http.Header{}}
				if !tt.nilBody {
					body = &closeBody{Reader: strings.NewReader(tt.respBody)}
					resp.Body = body
				}
				// As send does: Send's answer goes to Judge.
				var err error
				if resp, err = Send(answer(resp), req); err != nil {
					t.Fatal(err)
				}
			}
			wired := max(tt.wired, 1)
			v, code, rejected := Judge(p, req, resp, tt.err, wired, tt.replayed, tt.noReplay)
			if v != tt.want || code != tt.wantCode || rejected != tt.wantRejct {
				t.Fatalf("Judge = %v, %d, %v; want %v, %d, %v", v, code, rejected, tt.want, tt.wantCode, tt.wantRejct)
			}
			if v != Done && !CanResend(req) {
				t.Errorf("verdict %v for a request whose body cannot be sent again", v)
			}
			if v == Retry && (req.Method != http.MethodGet || wired >= p.MaxAttempts) {
				t.Errorf("Retry for %s at attempt %d of %d", req.Method, wired, p.MaxAttempts)
			}
			if v == Replay && !rejected {
				t.Error("Replay of a request whose token was not rejected")
			}
			if resp != nil {
				checkBodyIntact(t, resp, body, tt.respBody)
			}
		})
	}
}

// answer is a RoundTripper that answers resp.
func answer(resp *http.Response) rtFunc {
	return func(*http.Request) (*http.Response, error) { return resp, nil }
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// checkBodyIntact asserts that resp still yields its whole body after
// Judge, and that closing it closes the body it came with.
func checkBodyIntact(t *testing.T, resp *http.Response, orig *closeBody, want string) {
	t.Helper()
	if resp.Body == nil {
		t.Fatal("resp.Body is nil after Judge; a caller reading it would crash")
	}
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != want {
		t.Fatalf("body after Judge = %q, %v; want %q", got, err, want)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
	if orig != nil && !orig.closed {
		t.Error("closing the body after Judge did not close the original")
	}
}

// TestJudgeLongErrorBody: the gateway code is found at the start of a
// body far longer than MaxPeek, the body stays readable in full, and a
// code past MaxPeek is not found (a 401 then blames the token).
func TestJudgeLongErrorBody(t *testing.T) {
	pad := strings.Repeat("x", 64<<10)
	for _, tt := range []struct {
		name     string
		body     string
		want     Verdict
		wantCode int
	}{
		{"code first", `{"errorCode":40103,"description":"` + pad + `"}`, Done, 40103},
		{"code past MaxPeek", `{"description":"` + pad + `","errorCode":40103}`, Replay, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := &closeBody{Reader: strings.NewReader(tt.body)}
			resp := &http.Response{StatusCode: 401, Body: body}
			v, code, _ := Judge(testPolicy(), newReq(t, "GET", noBody), resp, nil, 1, false, false)
			if v != tt.want || code != tt.wantCode {
				t.Fatalf("Judge = %v, %d; want %v, %d", v, code, tt.want, tt.wantCode)
			}
			checkBodyIntact(t, resp, body, tt.body)
		})
	}
}

// TestJudgeDoesNotReadSuccess: a 2xx body is the caller's and is not
// touched (the hot path reads nothing).
func TestJudgeDoesNotReadSuccess(t *testing.T) {
	var read bytes.Buffer
	src := strings.NewReader(`{"sub":"1"}`)
	resp := &http.Response{StatusCode: 200, Body: io.NopCloser(io.TeeReader(src, &read))}
	orig := resp.Body
	if v, _, _ := Judge(testPolicy(), newReq(t, "GET", noBody), resp, nil, 1, false, false); v != Done {
		t.Fatalf("Judge = %v, want Done", v)
	}
	if read.Len() != 0 || resp.Body != orig {
		t.Fatalf("Judge read %d bytes of a 200 or replaced its body", read.Len())
	}
}
