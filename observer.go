package telenor

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/telenor-go/telenor/internal/endpoint"
	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/roundtrip"
	"github.com/telenor-go/telenor/internal/wire"
)

// Observer sees what the SDK does, for traces and metrics, without the SDK
// depending on a tracing library: set Config.Observer. The module
// github.com/telenor-go/telenor/telenorotel implements it with
// OpenTelemetry. With no Observer none of this costs anything.
//
// The SDK calls the methods on the goroutine doing the work, from many
// goroutines at once: they must be safe for concurrent use, quick, and
// must not block. A Start method returns the context for the work it
// starts, ctx itself or one derived from it (carrying a span, say); the
// SDK passes it to the matching End and to everything the work does:
// requests, logs, and a token fetch it triggers.
//
// No event carries a token, a secret, an authorization code, a state or a
// response body: names, routes, statuses, gateway codes, counts and
// durations. An event's Err is the error the caller gets; its text holds
// no secret, but it may quote the gateway's message, so record its kind
// rather than its text where personal data must not go.
type Observer interface {
	// OperationStart is called when a typed method starts its request:
	// UserInfo, DeviceInfo, Organizations, Agreements, Logout, and each
	// page of Accounts and MobileSubscriptions (one operation a page).
	OperationStart(ctx context.Context, op Operation) context.Context
	// OperationEnd is called when the operation's answer has been read
	// and decoded, or it failed; op's result fields are set. For a list,
	// it is the report of a page fetched (Page, Items).
	OperationEnd(ctx context.Context, op Operation)
	// AttemptStart is called before each request the SDK sends to the
	// API with a token: the first, each retry and the 401 replay. Requests
	// through a session's HTTPClient are attempts too.
	AttemptStart(ctx context.Context, a Attempt) context.Context
	// AttemptEnd is called when an attempt's response headers arrived or
	// it failed; a's result fields say what came and what the SDK does
	// next (Retry after RetryWait, or Replay).
	AttemptEnd(ctx context.Context, a Attempt)
	// TokenFetchStart is called when a token fetch starts: a system
	// session's shared fetch (its retries included), or a code exchange.
	TokenFetchStart(ctx context.Context, f TokenFetch) context.Context
	// TokenFetchEnd is called when the fetch ended; f's result fields are
	// set.
	TokenFetchEnd(ctx context.Context, f TokenFetch)
	// TokenWait is called when a caller that had to wait for a system
	// session's shared fetch stops waiting: the fetch ended or the
	// caller's context did. Hot reads of a valid token are not reported.
	TokenWait(ctx context.Context, w TokenWait)
}

// Operation is one typed method's request, retries and waits included.
type Operation struct {
	// Name is the SDK method: "UserInfo", "DeviceInfo", "Organizations",
	// "Agreements", "Accounts", "MobileSubscriptions" or "Logout".
	Name string
	// Method is the HTTP method; Route the request's path without its
	// query (the SDK's routes have no parameters, so it is also the path
	// template).
	Method, Route string
	// Page is the gateway's page index (from 0) for a page of Accounts or
	// MobileSubscriptions, and -1 for any other operation.
	Page int

	// Set for OperationEnd.

	// Status is the HTTP status of the last answer; 0 when none came.
	Status int
	// GatewayCode is the Code of the *APIError in Err, 0 if none.
	GatewayCode int
	// Attempts counts the requests sent (retries, a 401 replay and
	// net/http's own resends included); 0 when none was (no token).
	Attempts int
	// Items is the number of items of a list's answer.
	Items int
	// Duration is the operation's time, token waits and retries included.
	Duration time.Duration
	// Err is what the caller gets; nil on success.
	Err error
}

// Attempt is one request the SDK sends to the API.
type Attempt struct {
	// Operation is the Name of the operation the route belongs to, ""
	// for a route the SDK does not know (through HTTPClient).
	Operation string
	// Method is the HTTP method; Route the path when it is one of the
	// SDK's routes, else "" (a path may hold an identifier).
	Method, Route string
	// Host and Port are the server's (Port: the scheme's default when the
	// URL has none).
	Host string
	Port int
	// Number counts the operation's requests from 1 (see Attempts).
	Number int

	// Set for AttemptEnd.

	// Status is the HTTP status; 0 when no response came (Err says why).
	Status int
	// GatewayCode is Telenor's error code from an error answer, 0 if none.
	GatewayCode int
	// Err is the transport's error when no response came.
	Err error
	// Retry: the SDK sends the request again after RetryWait (429 spike
	// arrest, 5xx, a connection failure).
	Retry     bool
	RetryWait time.Duration
	// Replay: the API rejected the token (401 40105/40106); the SDK gets
	// a new token and sends the request once more at once.
	Replay bool
	// Duration is the time until the response headers or the failure.
	Duration time.Duration
}

// Grants of a TokenFetch.
const (
	GrantPassword          = "password"           // a system session's fetch
	GrantAuthorizationCode = "authorization_code" // Exchange and HandleCallback
)

// TokenFetch is one token fetch: a system session's shared fetch, retries
// included, or one code exchange.
type TokenFetch struct {
	// Grant is GrantPassword or GrantAuthorizationCode.
	Grant string
	// Background: a system session refreshing ahead of expiry, while its
	// valid token is still served (no caller waits); else a caller waits.
	Background bool

	// Set for TokenFetchEnd.

	// Duration is the fetch's time.
	Duration time.Duration
	// Err is nil on success; ErrTokenTimeout when the fetch ran out of
	// time; an *AuthError matching ErrInvalidGrant or ErrInvalidClient
	// when the credentials were rejected (a system session then ends).
	Err error
}

// TokenWait is one caller's wait for a system session's shared fetch.
type TokenWait struct {
	Duration time.Duration
	// Err is the fetch's error, or the caller's context's when it stopped
	// waiting first; nil when it got a token.
	Err error
}

// operationName returns the SDK method that requests path: the Name of
// Operation and Attempt.
func (c *Client) operationName(path string) string {
	if op := gateway.Operation(path); op != "" || path != c.logoutURL.Path {
		return op
	}
	return "Logout"
}

// started returns what an Observer's Start method returned: ctx when it
// returned nil, which would break every later use.
func started(ctx, got context.Context) context.Context {
	if got == nil {
		return ctx
	}
	return got
}

// operation is one typed call as the Observer sees it.
type operation struct {
	st    *roundtrip.State
	obs   Observer // nil: not observed
	op    Operation
	start time.Time
}

// begin starts the typed call of method path (page: see Operation.Page).
// Its state is the context for the call's request; end reports it.
func (s *session) begin(ctx context.Context, method, path string, page int) operation {
	o := operation{obs: s.client.observer}
	if o.obs != nil {
		o.op = Operation{Name: s.client.operationName(path), Method: method, Route: path, Page: page}
		o.start = time.Now()
		ctx = started(ctx, o.obs.OperationStart(ctx, o.op))
	}
	o.st = &roundtrip.State{Context: ctx}
	return o
}

// end reports the call's outcome to the Observer: err is what the caller
// gets, items the number of a list's items.
func (o *operation) end(err error, items int) {
	if o.obs == nil {
		return
	}
	op := &o.op
	op.Status, op.Attempts, op.Items, op.Err = int(o.st.Status), int(o.st.Attempts), items, err
	op.Duration = time.Since(o.start)
	if ae := (*APIError)(nil); errors.As(err, &ae) {
		op.Status, op.GatewayCode = ae.StatusCode, ae.Code
	}
	o.obs.OperationEnd(o.st.Context, *op)
}

// attemptStart reports an attempt about to be sent and returns the context
// to send it with.
func (s *session) attemptStart(ctx context.Context, req *http.Request, n int) (context.Context, Attempt, time.Time) {
	obs := s.client.observer
	if obs == nil {
		return ctx, Attempt{}, time.Time{}
	}
	a := Attempt{Method: req.Method, Host: req.URL.Hostname(), Number: n}
	a.Port, _ = strconv.Atoi(endpoint.Port(req.URL))
	if a.Operation = s.client.operationName(req.URL.Path); a.Operation != "" {
		a.Route = req.URL.Path
	}
	return started(ctx, obs.AttemptStart(ctx, a)), a, time.Now()
}

// attemptEnd reports an attempt's outcome; v is what send does next.
func (s *session) attemptEnd(ctx context.Context, a Attempt, start time.Time, resp *http.Response, err error, code int, v roundtrip.Verdict, wait time.Duration) {
	obs := s.client.observer
	if obs == nil {
		return
	}
	a.Duration, a.Err, a.GatewayCode = time.Since(start), err, code
	if resp != nil {
		a.Status = resp.StatusCode
		if code == 0 && a.Status >= 400 { // an answer judge did not peek at
			a.GatewayCode = wire.PeekGatewayError(&resp.Body, maxErrorRead).Code
		}
	}
	a.Retry, a.RetryWait, a.Replay = v == roundtrip.Retry, wait, v == roundtrip.Replay
	obs.AttemptEnd(ctx, a)
}

// observeFetch reports a token fetch starting to the Observer, if any,
// and returns the context to fetch with and the report of its end.
func (c *Client) observeFetch(ctx context.Context, f TokenFetch) (context.Context, func(context.Context, error)) {
	obs := c.observer
	if obs == nil {
		return ctx, func(context.Context, error) {}
	}
	ctx = started(ctx, obs.TokenFetchStart(ctx, f))
	start := time.Now()
	return ctx, func(ctx context.Context, err error) {
		f.Duration, f.Err = time.Since(start), err
		obs.TokenFetchEnd(ctx, f)
	}
}
