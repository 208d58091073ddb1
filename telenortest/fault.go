package telenortest

import (
	"fmt"
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
