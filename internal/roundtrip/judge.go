package roundtrip

import (
	"net/http"

	"github.com/telenor-go/telenor/internal/wire"
)

// Verdict is what the transport does after one attempt.
type Verdict int

// Verdicts of Judge.
const (
	Done   Verdict = iota // hand the response (or error) to the caller
	Retry                 // transient failure: back off and send again
	Replay                // the token was rejected: send once more with a new one
)

// Policy is what Judge needs beyond the attempt itself.
type Policy struct {
	MaxAttempts int                  // requests on the wire a GET may take
	RetryQuota  bool                 // retry a 429 for quota (42901) too
	EndUser     bool                 // the token cannot be replaced: no replay
	ConnError   func(err error) bool // a failure a resend may fix
	MaxPeek     int64                // how much of an error body to read
}

// Judge decides what to do with one attempt's outcome (from Send); wired
// counts the attempts on the wire, this one included, and replayed says
// whether the token was already replayed. It peeks at error bodies for the gateway
// code (returned when it did), leaving them readable in full. rejected
// reports a 401 that blames the token: the caller drops it, replayed or
// not, so an end user's session answers ErrReauthenticate from then on.
func Judge(p Policy, req *http.Request, resp *http.Response, err error, wired int, replayed, noReplay bool) (v Verdict, code int, rejected bool) {
	retryable := req.Method == http.MethodGet && CanResend(req) && wired < p.MaxAttempts
	if err != nil {
		if retryable && p.ConnError(err) {
			return Retry, 0, false
		}
		return Done, 0, false
	}
	switch st := resp.StatusCode; {
	case st < 400: // the hot path: no peeking
		return Done, 0, false
	case st == http.StatusUnauthorized:
		g := wire.PeekGatewayError(&resp.Body, p.MaxPeek)
		if !wire.RejectedToken(st, g.Code, g.CodeText) {
			return Done, g.Code, false
		}
		if p.EndUser || replayed || !CanResend(req) || noReplay {
			return Done, g.Code, true
		}
		return Replay, g.Code, true
	case st == http.StatusTooManyRequests:
		g := wire.PeekGatewayError(&resp.Body, p.MaxPeek)
		if retryable && (!g.Quota() || p.RetryQuota) {
			return Retry, g.Code, false
		}
		return Done, g.Code, false
	case st >= 500:
		code := wire.PeekGatewayError(&resp.Body, p.MaxPeek).Code
		if retryable && wire.TransientServerError(st, code) {
			return Retry, code, false
		}
		return Done, code, false
	}
	return Done, 0, false
}
