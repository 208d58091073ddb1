package telenortest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"sync"
	"time"
)

// A Fault describes how a request goes wrong; see [Server.Fail]. Its
// parts apply in this order:
//
//  1. RetryAfter, if set, is added to the response header whatever
//     answers the request.
//  2. Delay waits before anything else happens.
//  3. Hang blocks until the request's context ends or the server closes.
//  4. Reset aborts the connection.
//  5. Redirect, if set, answers with a redirect to that URL (Status 0
//     then means 302 Found), for tests of what follows a redirect.
//  6. If Status, Body or Size is set, the fault answers the request
//     itself (Status 0 then means 200).
//  7. Otherwise the request proceeds to normal handling, so a Fault with
//     only a Delay (or only RetryAfter) slows down (or decorates) a normal
//     answer.
//
// If the server closes during a Delay or Hang, the request is aborted
// like a Reset. If the request's context ends first, the handler returns
// without writing anything.
type Fault struct {
	// Status is the HTTP status to answer with; 0 means the fault does
	// not answer by itself unless Body or Size is set.
	Status int
	// Code is the Telenor gateway error code written into ShapeTelenor
	// and ShapeApigee bodies, e.g. 42902.
	Code int
	// Message is the human-readable error text; empty means the status
	// text.
	Message string
	// Shape says what the error body looks like.
	Shape BodyShape
	// Body, if not empty, is the exact response body; it overrides Shape.
	Body string
	// ContentType overrides the Content-Type of the answer. With Body
	// and no ContentType the answer is application/json.
	ContentType string
	// RetryAfter is the Retry-After header value, sent verbatim.
	RetryAfter string
	// Delay is how long to wait before going on. The wait ends early
	// when the request's context ends or the server closes.
	Delay time.Duration
	// Hang blocks the request until its context ends or the server
	// closes, and never answers. Delay and Hang first read the request
	// body (up to 1 MiB, kept for normal handling): net/http notices a
	// client hanging up only once the body has been read.
	Hang bool
	// Reset aborts the connection with a TCP reset (RST) instead of
	// answering. Where the connection cannot be hijacked (in-process
	// serving) the handler panics with http.ErrAbortHandler instead.
	Reset bool
	// Redirect, if not empty, is the Location of a redirect the fault
	// answers with, e.g. a URL on another host that records what a
	// client sends after following it. Status then defaults to 302.
	Redirect string
	// Size, if positive, makes the answer a body of exactly Size bytes,
	// streamed in small chunks and never held in memory: a JSON document
	// that never ends, {"access_token":"aaaa…. It is sent without
	// Content-Length, so a client only learns its size by reading. Size
	// overrides Shape and Body.
	Size int64
}

// answers reports whether the fault writes a response itself.
func (f Fault) answers() bool { return f.Status != 0 || f.Body != "" || f.Size > 0 }

// BodyShape selects the body of an answering [Fault].
type BodyShape int

const (
	// ShapeTelenor is the Telenor gateway error body:
	// {"httpStatus":S,"httpMessage":"<status text>","description":Message,"errorCode":Code}.
	ShapeTelenor BodyShape = iota
	// ShapeApigee is an Apigee fault:
	// {"fault":{"faultstring":Message,"detail":{"errorcode":"<Code>"}}};
	// with Code 0 the errorcode is an Apigee policy name chosen from the
	// status (policies.ratelimit.QuotaViolation for 429, and so on).
	ShapeApigee
	// ShapeOAuth is an RFC 6749 error:
	// {"error":"<code>","error_description":Message}, with the error code
	// chosen from the status (invalid_request for 400, invalid_client for
	// 401, unauthorized_client for 403, temporarily_unavailable for 429
	// and 503, server_error for other 5xx).
	ShapeOAuth
	// ShapeHTML is a text/html error page, as a load balancer sends.
	ShapeHTML
	// ShapeMalformedJSON is an application/json body cut short:
	// {"access_token":"abc","expi
	ShapeMalformedJSON
	// ShapeEmpty is no body at all.
	ShapeEmpty
)

// String returns the constant's name without the Shape prefix.
func (b BodyShape) String() string {
	switch b {
	case ShapeTelenor:
		return "Telenor"
	case ShapeApigee:
		return "Apigee"
	case ShapeOAuth:
		return "OAuth"
	case ShapeHTML:
		return "HTML"
	case ShapeMalformedJSON:
		return "MalformedJSON"
	case ShapeEmpty:
		return "Empty"
	}
	return fmt.Sprintf("BodyShape(%d)", int(b))
}

// Fail makes the next n requests to path (an exact URL path such as
// [PasswordTokenPath]) get fault f; see [Fault] for what happens. Faults
// queued for the same path by several calls are used up in call order;
// n <= 0 queues nothing. Fail panics if f.Status is set but is not a
// valid HTTP status (100–999) or if f.Shape is not one of the Shape
// constants.
func (s *Server) Fail(path string, n int, f Fault) {
	if f.Status != 0 && (f.Status < 100 || f.Status > 999) {
		panic(fmt.Sprintf("telenortest: Fail with invalid Status %d", f.Status))
	}
	if f.Shape < ShapeTelenor || f.Shape > ShapeEmpty {
		panic(fmt.Sprintf("telenortest: Fail with invalid Shape %d", int(f.Shape)))
	}
	s.faults.add(path, n, f)
}

// faultTable keeps, per URL path, the request count and the queue of
// pending faults. It is shared by every endpoint.
type faultTable struct {
	mu      sync.Mutex
	counts  map[string]int
	pending map[string][]pendingFault
}

// pendingFault is a fault with the number of requests it still applies to.
type pendingFault struct {
	fault Fault
	left  int
}

// add queues f for the next n requests to path.
func (t *faultTable) add(path string, n int, f Fault) {
	if n <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending == nil {
		t.pending = map[string][]pendingFault{}
	}
	t.pending[path] = append(t.pending[path], pendingFault{fault: f, left: n})
}

// arrive counts a request to path and takes the fault it should get, if
// any.
func (t *faultTable) arrive(path string) (Fault, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]int{}
	}
	t.counts[path]++
	q := t.pending[path]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].fault
	if q[0].left--; q[0].left == 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(t.pending, path)
	} else {
		t.pending[path] = q
	}
	return f, true
}

// count reports how many requests have arrived for path.
func (t *faultTable) count(path string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[path]
}

// applyFault carries out f for one request and reports whether the
// request should go on to normal handling.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Delay > 0 || f.Hang {
		bufferBody(r)
	}
	if f.Delay > 0 && !s.delay(r.Context(), w, f.Delay) {
		return false
	}
	if f.Hang {
		s.waitFor(r.Context(), w, nil)
		return false
	}
	if f.Reset {
		abort(w)
		return false
	}
	if f.Redirect != "" {
		http.Redirect(w, r, f.Redirect, cmp.Or(f.Status, http.StatusFound))
		return false
	}
	if f.answers() {
		s.writeFault(w, r, f)
		return false
	}
	return true
}

// maxBufferedBody bounds what bufferBody holds in memory.
const maxBufferedBody = 1 << 20

// bufferBody reads the request body (up to maxBufferedBody bytes) into
// memory and puts it back for whoever handles the request next. net/http
// notices a client hanging up (and cancels the request context) only
// once the handler has read the request body to its end, so a delayed or
// hung request must read it first to end when its client goes away.
func bufferBody(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	var buf bytes.Buffer
	_, _ = io.CopyN(&buf, r.Body, maxBufferedBody) // a read error recurs on the next read
	r.Body = replayBody{io.MultiReader(&buf, r.Body), r.Body}
}

// replayBody is a request body whose start was read ahead.
type replayBody struct {
	io.Reader
	io.Closer
}

// delay waits for d; see waitFor.
func (s *Server) delay(ctx context.Context, w http.ResponseWriter, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	return s.waitFor(ctx, w, t.C)
}

// waitFor blocks until c delivers (and reports true), or until the
// request's context ends or the server closes (and reports false). When
// the server closes, the connection is aborted. A nil c waits for the
// latter two only. It blocks only on channels, so it follows virtual time
// in testing/synctest bubbles.
func (s *Server) waitFor(ctx context.Context, w http.ResponseWriter, c <-chan time.Time) bool {
	select {
	case <-c:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		abort(w)
		return false
	}
}

// abort drops the connection with a TCP reset: it hijacks it, sets
// SO_LINGER to 0 and closes it. If w cannot be hijacked it panics with
// http.ErrAbortHandler, which net/http and memhttp turn into an aborted
// exchange.
func abort(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(interface{ SetLinger(sec int) error }); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// malformedJSON is the ShapeMalformedJSON body: a token response cut short.
const malformedJSON = `{"access_token":"abc","expi`

// writeFault writes the answer of a fault that answers by itself.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f Fault) {
	status := cmp.Or(f.Status, http.StatusOK)
	if f.Size > 0 {
		w.Header().Set("Content-Type", cmp.Or(f.ContentType, "application/json"))
		w.WriteHeader(status)
		s.stream(r.Context(), w, f.Size)
		return
	}
	body, ctype := faultBody(f, status)
	writeBody(w, status, cmp.Or(f.ContentType, ctype), []byte(body))
}

// faultBody returns the body and content type for f answering with
// status.
func faultBody(f Fault, status int) (body, contentType string) {
	const jsonType = "application/json"
	if f.Body != "" {
		return f.Body, jsonType
	}
	msg := cmp.Or(f.Message, http.StatusText(status))
	switch f.Shape {
	case ShapeApigee:
		return string(apigeeFaultJSON(msg, apigeeErrorCode(f.Code, status))), jsonType
	case ShapeOAuth:
		return string(mustJSON(oauthError{Code: oauthErrorCode(status), Description: msg})), jsonType
	case ShapeHTML:
		return htmlPage(status, msg), "text/html; charset=utf-8"
	case ShapeMalformedJSON:
		return malformedJSON, jsonType
	case ShapeEmpty:
		return "", ""
	default: // ShapeTelenor
		return string(telenorErrorJSON(status, f.Code, msg)), jsonType
	}
}

// oauthErrorCode is the RFC 6749 error code fitting status.
func oauthErrorCode(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "invalid_client"
	case status == http.StatusForbidden:
		return "unauthorized_client"
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return "temporarily_unavailable"
	case status >= 500:
		return "server_error"
	}
	return "invalid_request"
}

// htmlPage is the ShapeHTML body.
func htmlPage(status int, msg string) string {
	title := html.EscapeString(fmt.Sprintf("%d %s", status, http.StatusText(status)))
	return "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head>\n" +
		"<body><h1>" + title + "</h1><p>" + html.EscapeString(msg) + "</p></body></html>\n"
}

// stream writes size bytes of a never-ending JSON document,
// {"access_token":"aaaa…, in chunks, without holding it in memory. It
// stops early when a write fails or the request's context ends, and
// aborts the connection when the server closes, so a cut-short body
// never looks complete.
func (s *Server) stream(ctx context.Context, w io.Writer, size int64) {
	filler := bytes.Repeat([]byte{'a'}, 32<<10)
	p := []byte(`{"access_token":"`)
	for size > 0 {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			panic(http.ErrAbortHandler)
		default:
		}
		if int64(len(p)) > size {
			p = p[:size]
		}
		if _, err := w.Write(p); err != nil {
			return
		}
		size -= int64(len(p))
		p = filler
	}
}
