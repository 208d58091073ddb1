// Package roundtrip holds the per-request mechanics of the SDK's API
// transport: the state of one typed call, the count of connections a
// request used, and request bodies for a resend.
package roundtrip

import (
	"context"
	"fmt"
	"github.com/telenor-go/telenor/internal/wire"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
)

// State is one typed call in flight. It is the call's request context
// (the caller's context embedded), so that the transport finds it with one
// Value lookup and keeps its wire counter in it: the typed path then
// allocates no more than a request through HTTPClient does, and no more
// bytes either (160, the size class of the wire counter alone; hence
// int32s).
type State struct {
	context.Context
	wc       Counter
	Attempts int32  // requests sent so far
	Status   int32  // of the last answer; 0 for none
	token    string // the access token last sent: redacted from an error's echo
}

// key is the Value key under which a State returns itself.
type key struct{}

// Value implements context.Context.
func (st *State) Value(k any) any {
	if k == (key{}) {
		return st
	}
	return st.Context.Value(k)
}

// Of returns the typed call that ctx belongs to, or nil.
func Of(ctx context.Context) *State {
	st, _ := ctx.Value(key{}).(*State)
	return st
}

// Sent counts the request about to be sent, the sent-th of this round
// trip (from 0), and returns its number in the typed call (from 1).
func (st *State) Sent(sent int) int {
	if st == nil {
		return sent + 1
	}
	st.Attempts++
	return int(st.Attempts)
}

// Wired returns how many requests one send put on the wire, given the
// connections it used: net/http resends a GET by itself, on a new
// connection, when a reused one fails before the answer; a failed dial is
// a request too. The typed call's Attempts counts these resends, so that
// its final error says how many requests reached the server.
func (st *State) Wired(conns int64) int {
	n := max(int(conns), 1)
	if st != nil {
		st.Attempts += int32(n - 1)
	}
	return n
}

// Answered notes resp's status as the call's last.
func (st *State) Answered(resp *http.Response) {
	if st != nil && resp != nil {
		st.Status = int32(resp.StatusCode)
	}
}

// Counter counts the connections net/http hands out for one request
// (httptrace's GotConn): one per request written, silent resends included.
type Counter struct {
	conns atomic.Int64
	trace httptrace.ClientTrace
}

// NewCounter returns a counter for requests under ctx, and the context to
// send them with: the typed call's own counter (st) on its first round
// trip, else a new one. A redirect's hop is a round trip of its own:
// httptrace composes the caller's ClientTrace into the counter's, and
// composing it twice into one would call the caller's hooks twice.
func NewCounter(ctx context.Context, st *State) (*Counter, context.Context) {
	var wc *Counter
	if st != nil && st.Attempts == 0 {
		wc = &st.wc
	} else {
		wc = new(Counter)
	}
	wc.trace.GotConn = wc.gotConn
	return wc, httptrace.WithClientTrace(ctx, &wc.trace)
}

func (wc *Counter) gotConn(httptrace.GotConnInfo) { wc.conns.Add(1) }

// Conns returns the number of connections handed out so far.
func (wc *Counter) Conns() int64 { return wc.conns.Load() }

// Send is base.RoundTrip held to the RoundTripper contract, as
// http.Client holds it: no response and no error becomes an error naming
// base, and a nil Body an empty one (a shorthand of test transports,
// go.dev/issue/38095), so that judging the answer cannot crash; and an
// answer knows its request, as http.Transport's do.
func Send(base http.RoundTripper, req *http.Request) (*http.Response, error) {
	resp, err := base.RoundTrip(req)
	switch {
	case err != nil:
		return resp, err
	case resp == nil:
		return nil, fmt.Errorf("telenor: the HTTP client's transport (%T) returned neither a response nor an error", base)
	case resp.Body == nil:
		resp.Body = http.NoBody
	}
	if resp.Request == nil { // what the answer's error redacts the token by
		resp.Request = req
	}
	return resp, nil
}

// CanResend reports whether req's body can be sent again.
func CanResend(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// Resendable returns req for the first send, and for later ones a copy
// with a fresh body from GetBody (an error without one: see CanResend).
func Resendable(req *http.Request, sent int) (*http.Request, error) {
	if sent == 0 || req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody == nil {
		return nil, fmt.Errorf("telenor: %s %s: the request body cannot be sent again: set Request.GetBody", req.Method, req.URL.Path)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("telenor: rewinding request body: %w", err)
	}
	r := *req
	r.Body = body
	return &r, nil
}

// Discard closes a response that will not be returned, reading it first
// (up to limit) so an error page does not cost the connection.
func Discard(resp *http.Response, limit int64) {
	if resp == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, limit)
	resp.Body.Close()
}

// Authorize returns a copy of req with context ctx, the Authorization
// value auth, and accept and ua unless req has its own: a RoundTripper
// must not modify its request, and the copy keeps the token off any
// redirect net/http derives from req. The values are shared, not copied.
func Authorize(ctx context.Context, req *http.Request, auth, accept, ua []string) *http.Request {
	if st := Of(ctx); st != nil {
		st.token = strings.TrimPrefix(auth[0], "Bearer ")
	}
	r := req.WithContext(ctx)
	h := make(http.Header, len(req.Header)+3)
	for k, v := range req.Header {
		// net/http sends a key set in the map directly as it is: an
		// "authorization" would go out as a second Authorization.
		k = http.CanonicalHeaderKey(k)
		if old, ok := h[k]; ok {
			v = append(old[:len(old):len(old)], v...)
		}
		h[k] = v
	}
	h["Authorization"] = auth
	if _, ok := h["Accept"]; !ok {
		h["Accept"] = accept
	}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = ua
	}
	r.Header = h
	return r
}

// SentToken is the access token req's typed call last sent, or that of
// the request resp answers: the one an error must not echo.
func SentToken(req *http.Request, resp *http.Response) string {
	if st := Of(req.Context()); st != nil && st.token != "" {
		return st.token
	}
	return wire.BearerToken(resp.Request)
}
