package memhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"syscall"
)

// RemoteAddr is the [http.Request.RemoteAddr] a handler sees.
const RemoteAddr = "127.0.0.1:1234"

// ErrConnReset is the error for a handler that aborts the exchange by
// panicking with [http.ErrAbortHandler], the in-process equivalent of a TCP
// reset. It wraps syscall.ECONNRESET, so errors.Is(err, syscall.ECONNRESET)
// reports true for it. An [http.Client] wraps it in a *url.Error.
var ErrConnReset error = resetError{}

// resetError is the type of [ErrConnReset].
type resetError struct{}

func (resetError) Error() string { return "memhttp: connection reset" }
func (resetError) Unwrap() error { return syscall.ECONNRESET }

// Transport is an [http.RoundTripper] that serves each request by calling
// Handler in a new goroutine, with no network involved.
//
// The handler gets a clone of the request whose RemoteAddr is [RemoteAddr],
// whose Host is the request's Host (or URL host) and whose context is
// derived from the request's context: it is cancelled when the caller's
// context ends or when the caller closes the response body, like a real
// server's request context when the client goes away.
//
// RoundTrip returns as soon as the handler writes the response header (or
// its first body byte, or returns); the body is then streamed from the
// handler as the caller reads it. Closing the body cancels the handler's
// context and waits for the handler to return, so no goroutine outlives
// the body. If the handler returns before writing anything while the
// request context is done, RoundTrip returns the context's error; when no
// response is produced RoundTrip also waits for the handler to return. A
// handler that ignores its context can therefore block RoundTrip or
// Body.Close; handlers under test must honour the context.
//
// A handler that panics with [http.ErrAbortHandler] makes RoundTrip (or,
// after the header was sent, the body read) fail with an error wrapping
// syscall.ECONNRESET; any other panic becomes an error carrying the panic
// value and stack. Hijacking is not supported.
type Transport struct {
	// Handler serves every request. It must not be nil.
	Handler http.Handler
}

// RoundTrip implements [http.RoundTripper].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Handler == nil {
		closeBody(req)
		return nil, errors.New("memhttp: Transport.Handler is nil")
	}
	parent := req.Context()
	if err := parent.Err(); err != nil {
		closeBody(req)
		return nil, err
	}
	ctx, cancel := context.WithCancel(parent)
	sreq := serverRequest(ctx, req)

	pr, pw := io.Pipe()
	w := newResponseWriter(req, pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := serve(t.Handler, w, sreq)
		closeBody(req)
		if err == nil {
			err = parent.Err()
		}
		w.finish(err)
		pw.CloseWithError(err)
	}()

	<-w.ready
	if w.err != nil {
		cancel()
		<-done
		return nil, w.err
	}
	// Unblock the handler's writes when the caller's context ends.
	stop := context.AfterFunc(parent, func() { pw.CloseWithError(parent.Err()) })
	resp := w.response(req)
	resp.Body = &body{pr: pr, done: done, release: func() {
		stop()
		cancel()
	}}
	return resp, nil
}

// serverRequest returns the request as a server would see it.
func serverRequest(ctx context.Context, req *http.Request) *http.Request {
	r := req.Clone(ctx)
	r.RemoteAddr = RemoteAddr
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	r.RequestURI = req.URL.RequestURI()
	// A server sees only the request target, not scheme or authority.
	r.URL.Scheme, r.URL.Host, r.URL.User, r.URL.Fragment = "", "", nil, ""
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	if r.Body == nil {
		r.Body = http.NoBody
	}
	return r
}

// serve calls h and turns a panic into an error.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		v := recover()
		switch {
		case v == nil:
		case v == http.ErrAbortHandler:
			err = ErrConnReset
		default:
			err = fmt.Errorf("memhttp: handler panic: %v: %w\n%s", v, ErrConnReset, debug.Stack())
		}
	}()
	h.ServeHTTP(w, r)
	return nil
}

// closeBody closes the request body, as a RoundTripper must.
func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}
