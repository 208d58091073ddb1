package roundtrip

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// secret is a recognisable fake token: no error text may carry it.
const secret = "FAKE-TOKEN-5f3a9c"

// secretRequest is a request that carries secret everywhere a request
// can: header, query, user info and fragment.
func secretRequest(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", "https://user:"+secret+"@api.example/user-info/v1/users?access_token="+secret+"#"+secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	return req
}

var errTokenFetch = errors.New("telenor: token request failed: retry later")

func TestTokenFailure(t *testing.T) {
	tf := &TokenFailure{Err: errTokenFetch}
	if tf.Error() != errTokenFetch.Error() {
		t.Errorf("Error() = %q; want the token error's own", tf.Error())
	}
	wrapped := fmt.Errorf("outer: %w", tf)
	var got *TokenFailure
	if !errors.Is(wrapped, errTokenFetch) || !errors.As(wrapped, &got) || got != tf {
		t.Error("errors.Is/As do not see through a TokenFailure")
	}
}

func TestRequestError(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	urlErr := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://user:" + secret + "@api.example/user-info/v1/users?access_token=" + secret, Err: err}
	}
	for _, tt := range []struct {
		name     string
		err      error
		attempts int
		want     string          // Error(), exactly
		is       []error         // errors.Is must hold for each
		same     error           // when set, RequestError must return this very error
		ctx      context.Context // the request's, when not a live one
	}{
		{name: "token failure", err: &TokenFailure{Err: errTokenFetch}, attempts: 0, same: errTokenFetch},
		{name: "token failure through url.Error", err: urlErr(&TokenFailure{Err: errTokenFetch}), attempts: 0, same: errTokenFetch},
		{name: "reset, one attempt", err: urlErr(reset), attempts: 1,
			want: "telenor: GET /user-info/v1/users: read tcp: connection reset by peer", is: []error{syscall.ECONNRESET}},
		{name: "reset, three attempts", err: urlErr(reset), attempts: 3,
			want: "telenor: GET /user-info/v1/users: read tcp: connection reset by peer (after 3 attempts)", is: []error{syscall.ECONNRESET}},
		{name: "no attempt", err: urlErr(errors.New("boom")), attempts: 0, want: "telenor: GET /user-info/v1/users: boom"},
		{name: "canceled", err: urlErr(context.Canceled), attempts: 2,
			want: "telenor: GET /user-info/v1/users: context canceled (after 2 attempts)", is: []error{context.Canceled}},
		{name: "HTTPClient.Timeout", err: urlErr(context.DeadlineExceeded), attempts: 1, is: []error{context.DeadlineExceeded},
			want: "telenor: GET /user-info/v1/users: context deadline exceeded (Config.HTTPClient.Timeout passed, not the context's deadline)"},
		{name: "caller's deadline", ctx: expired, err: urlErr(context.DeadlineExceeded), attempts: 1, is: []error{context.DeadlineExceeded},
			want: "telenor: GET /user-info/v1/users: context deadline exceeded"},
		{name: "cut body", err: io.ErrUnexpectedEOF, attempts: 1, is: []error{io.ErrUnexpectedEOF},
			want: "telenor: GET /user-info/v1/users: unexpected EOF"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := secretRequest(t)
			if tt.ctx != nil {
				req = req.WithContext(tt.ctx)
			}
			got := RequestError(req, tt.err, tt.attempts)
			if tt.same != nil {
				if got != tt.same {
					t.Fatalf("RequestError = %v; want the token error itself", got)
				}
				return
			}
			if got.Error() != tt.want {
				t.Errorf("Error() = %q; want %q", got, tt.want)
			}
			for _, target := range tt.is {
				if !errors.Is(got, target) {
					t.Errorf("errors.Is(%v, %v) = false", got, target)
				}
			}
			var op *net.OpError
			if errors.As(tt.err, &op) && !errors.As(got, &op) {
				t.Error("errors.As finds no *net.OpError")
			}
			assertNoSecret(t, got)
		})
	}
}

func TestCtxFirst(t *testing.T) {
	errCut := fmt.Errorf("reading body: %w", io.ErrUnexpectedEOF)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	for _, tt := range []struct {
		name   string
		ctx    context.Context
		err    error
		same   bool  // err comes back as it is
		is     error // else the result matches it
		wantIn string
	}{
		{name: "live context", ctx: context.Background(), err: errCut, same: true},
		{name: "canceled", ctx: canceled, err: errCut, is: context.Canceled, wantIn: "unexpected EOF"},
		{name: "deadline passed", ctx: expired, err: errCut, is: context.DeadlineExceeded, wantIn: "unexpected EOF"},
		{name: "already the context's error", ctx: canceled, err: fmt.Errorf("x: %w", context.Canceled), same: true},
		{name: "another context's error", ctx: expired, err: context.Canceled, is: context.DeadlineExceeded, wantIn: "canceled"},
		{name: "no error", ctx: canceled, err: nil, same: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := CtxFirst(tt.ctx, tt.err)
			if tt.same {
				if got != tt.err {
					t.Fatalf("CtxFirst = %v; want %v itself", got, tt.err)
				}
				return
			}
			if !errors.Is(got, tt.is) || !strings.Contains(got.Error(), tt.wantIn) {
				t.Fatalf("CtxFirst = %q; want an error matching %v that names %q", got, tt.is, tt.wantIn)
			}
		})
	}
}

// TestErrorsCarryNoSecret wraps errors that hold the request (its URL,
// as url.Error does) in every way this package does.
func TestErrorsCarryNoSecret(t *testing.T) {
	req := secretRequest(t)
	ue := &url.Error{Op: "Get", URL: req.URL.String(), Err: syscall.ECONNREFUSED}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	getBody := req.Clone(context.Background())
	getBody.Body = io.NopCloser(strings.NewReader("x"))
	getBody.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
	_, rewindErr := Resendable(getBody, 1)
	oneShot := req.Clone(context.Background())
	oneShot.Body = io.NopCloser(strings.NewReader("x"))
	_, oneShotErr := Resendable(oneShot, 1)
	_, sendErr := Send(answer(nil), req)
	for _, err := range []error{
		RequestError(req, ue, 1),
		RequestError(req, ue, 3),
		RequestError(req, fmt.Errorf("dial: %w", ue), 1),
		CtxFirst(canceled, RequestError(req, ue, 1)),
		Pause(canceled, &http.Response{StatusCode: 503, Status: "503 " + secret, Body: http.NoBody}, time.Second, 10),
		rewindErr, oneShotErr, sendErr,
	} {
		if err == nil {
			t.Fatal("no error")
		}
		assertNoSecret(t, err)
	}
}

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if strings.Contains(s, secret) || strings.Contains(s, "user:") {
			t.Errorf("error text carries the secret: %q", s)
		}
	}
}
