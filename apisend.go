package telenor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"github.com/telenor-go/telenor/internal/backoff"
	"github.com/telenor-go/telenor/internal/wire"
)

// verdict is what send does after one attempt.
type verdict int

const (
	verdictDone   verdict = iota // hand the response (or error) to the caller
	verdictRetry                 // transient failure: back off and send again
	verdictReplay                // the token was rejected: send once more with a new one
)

// noReplayKey marks a request context whose 401 must not be replayed with
// a new token (logging out a token must not fetch and log out another).
type noReplayKey struct{}

// noRedirectKey marks a request context whose redirects must not be
// followed: a logout is confirmed by the logout endpoint itself, and its
// Bearer token goes nowhere else.
type noRedirectKey struct{}

// tokenFailure marks an error from getting the token, so the typed path
// can return it as it is (it already says what to do) instead of as a
// transport failure of the request.
type tokenFailure struct{ err error }

func (e *tokenFailure) Error() string { return e.err.Error() }
func (e *tokenFailure) Unwrap() error { return e.err }

// send is the round trip of every request to the API host, from
// HTTPClient and from the typed methods alike: add the token, send, and
// apply the policy documented on Session.HTTPClient. The response it
// returns is the last one, unread.
//
// Attempts are counted as they reach the wire: net/http itself resends a
// GET once when a reused keep-alive connection fails before the answer,
// and that resend counts against RetryPolicy.MaxAttempts like the SDK's
// own (a replay after a rejected token does not count).
func (s *Session) send(req *http.Request, t *apiTransport) (*http.Response, error) {
	ctx := req.Context()
	wc := newWireCounter(ctx)
	replayed := false
	for attempt, sent, used := 0, 0, 0; ; sent++ {
		tok, err := s.Token(ctx)
		if err != nil {
			closeRequestBody(req)
			return nil, &tokenFailure{err}
		}
		out, err := resendable(req, sent)
		if err != nil {
			return nil, err
		}
		before := wc.conns.Load()
		resp, err := t.base.RoundTrip(t.authorize(out, wc.ctx, tok))
		wired := used + max(int(wc.conns.Load()-before), 1) // a failed dial is an attempt too
		switch s.judge(req, tok.AccessToken, resp, err, wired, replayed) {
		case verdictDone:
			return resp, err
		case verdictReplay:
			s.Invalidate(tok.AccessToken)
			discard(resp)
			replayed = true
		case verdictRetry:
			wait, ok := s.retryWait(ctx, resp, attempt)
			if !ok {
				return resp, err // the caller's deadline would pass first
			}
			if err := pause(ctx, resp, wait); err != nil {
				return nil, err
			}
			attempt, used = attempt+1, wired
		}
	}
}

// wireCounter counts the connections net/http hands out for one request
// (httptrace's GotConn): one per request written, its own silent resends
// included. The trace lives in the counter to save an allocation.
type wireCounter struct {
	conns atomic.Int64
	trace httptrace.ClientTrace
	ctx   context.Context // the request's context with trace
}

func newWireCounter(ctx context.Context) *wireCounter {
	wc := &wireCounter{}
	wc.trace.GotConn = wc.gotConn
	wc.ctx = httptrace.WithClientTrace(ctx, &wc.trace)
	return wc
}

func (wc *wireCounter) gotConn(httptrace.GotConnInfo) { wc.conns.Add(1) }

// judge decides what to do with one attempt's outcome; wired is the
// number of attempts that reached the wire so far, this one included. It
// peeks at error bodies for the gateway code, leaving resp's body readable
// in full. A rejected token is invalidated here even when there is no
// replay, so a user Session answers ErrReauthenticate from then on.
func (s *Session) judge(req *http.Request, sent string, resp *http.Response, err error, wired int, replayed bool) verdict {
	retryable := req.Method == http.MethodGet && canResend(req) && wired < s.client.retry.MaxAttempts
	if err != nil {
		if retryable && isConnectionError(err) {
			return verdictRetry
		}
		return verdictDone
	}
	switch st := resp.StatusCode; {
	case st < 400: // the hot path: no peeking
		return verdictDone
	case st == http.StatusUnauthorized:
		g := peekGatewayError(resp)
		if !rejectedToken(st, g.Code, g.CodeText) {
			return verdictDone
		}
		if s.kind != sessionSystem || replayed || !canResend(req) || req.Context().Value(noReplayKey{}) != nil {
			s.Invalidate(sent)
			return verdictDone
		}
		return verdictReplay
	case st == http.StatusTooManyRequests:
		g := peekGatewayError(resp)
		if retryable && (!isQuota(g) || s.client.retry.RetryQuota) {
			return verdictRetry
		}
	case st >= 500:
		if retryable && transientServerError(st, peekGatewayError(resp).Code) {
			return verdictRetry
		}
	}
	return verdictDone
}

// retryWait returns the wait before the next attempt: jittered backoff,
// at least the server's Retry-After (capped by RetryPolicy.MaxRetryAfter).
// It reports false when ctx's deadline would pass during the wait: the
// caller is then better served by the answer in hand (with its RetryAfter)
// than by a deadline error.
func (s *Session) retryWait(ctx context.Context, resp *http.Response, attempt int) (time.Duration, bool) {
	var hint time.Duration
	if resp != nil {
		hint, _ = backoff.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	wait := s.client.backoffPolicy().Wait(attempt, hint)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return 0, false
	}
	s.client.logger.Debug("telenor: retrying API request", "attempt", attempt+1, "wait", wait)
	return wait, true
}

// pause discards resp and waits. When ctx ends first it returns at once
// with an error matching ctx.Err() that names the last failure.
func pause(ctx context.Context, resp *http.Response, wait time.Duration) error {
	last := "connection failure"
	if resp != nil {
		last = resp.Status
		discard(resp)
	}
	if err := backoff.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("telenor: gave up retrying after %s: %w", last, err)
	}
	return nil
}

// rejectedToken reports a 401 that blames the access token: 40105, 40106,
// Apigee's access-token fault names, or no code at all. Other 401 codes
// (40103 no API product, 40104 wrong MSISDN) a new token cannot fix.
func rejectedToken(status, code int, codeText string) bool {
	if status != http.StatusUnauthorized {
		return false
	}
	switch {
	case code == CodeTokenInvalid, code == CodeTokenExpired:
		return true
	case code != 0:
		return false
	}
	t := strings.ToLower(codeText)
	return t == "" || strings.Contains(t, "access_token") || strings.Contains(t, "accesstoken")
}

// isQuota reports a 429 from the quota policy (42901, or Apigee's
// QuotaViolation), whose window is usually longer than a caller waits.
func isQuota(g wire.GatewayError) bool {
	return g.Code == CodeQuotaExceeded || strings.Contains(g.CodeText, "QuotaViolation")
}

// transientServerError reports a 5xx that may pass: not 501/505, and not
// the gateway's validation failures 50002 (acr) and 50003 (subscription),
// which answer the same every time.
func transientServerError(status, code int) bool {
	switch {
	case status == http.StatusNotImplemented, status == http.StatusHTTPVersionNotSupported:
		return false
	case code == 50002, code == 50003:
		return false
	}
	return true
}

// maxErrorRead bounds how much of an error body the SDK reads: the
// gateway code is found from the body's start (a streaming decode), and
// an error page up to this size is read to its end so that an HTTP/1.1
// connection is reused rather than closed. A longer body costs its
// connection, not memory or time.
const maxErrorRead = 64 << 10

// peekGatewayError reads the gateway error at the start of resp's body and
// puts what it read back in front of the rest.
func peekGatewayError(resp *http.Response) wire.GatewayError {
	return wire.PeekGatewayError(&resp.Body, maxErrorRead)
}

// discard closes a response that will not be returned, reading it first
// (up to maxErrorRead) so an error page does not cost the connection.
func discard(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, maxErrorRead)
	resp.Body.Close()
}

// canResend reports whether req's body can be sent again.
func canResend(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// resendable returns req for the first send, and for later ones a copy
// with a fresh body from GetBody (net/http closed the first).
func resendable(req *http.Request, sent int) (*http.Request, error) {
	if sent == 0 || req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("telenor: rewinding request body: %w", err)
	}
	r := *req
	r.Body = body
	return &r, nil
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
