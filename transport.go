package telenor

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/endpoint"
	"github.com/telenor-go/telenor/internal/roundtrip"
)

// The transport of every API request, from a session's HTTPClient and
// from the typed methods alike: add the token, send, judge the answer,
// retry or replay. The policy is documented on UserSession.HTTPClient.

// maxErrorRead bounds how much of an error body the SDK reads: the gateway
// code is found from its start, and a page up to this size is read to its
// end so that an HTTP/1.1 connection is reused rather than closed.
const maxErrorRead = 64 << 10

// noReplayKey marks a request context whose 401 must not be replayed with
// a new token (logging out a token must not fetch and log out another).
type noReplayKey struct{}

// noRedirectKey marks a request context whose redirects must not be
// followed: a logout is confirmed by the logout endpoint itself, and its
// Bearer token goes nowhere else.
type noRedirectKey struct{}

func noRedirect(req *http.Request) bool { return req.Context().Value(noRedirectKey{}) != nil }

// newAPIHTTPClient builds a session's client around the app's transport,
// in one allocation.
func (c *Client) newAPIHTTPClient(s *session) *http.Client {
	base := cmp.Or[http.RoundTripper](c.httpClient.Transport, http.DefaultTransport)
	a := &struct {
		hc http.Client
		tr apiTransport
	}{tr: apiTransport{session: s, base: base}}
	a.hc = http.Client{Transport: &a.tr, CheckRedirect: c.apiRedirect, Jar: c.httpClient.Jar, Timeout: c.httpClient.Timeout}
	return &a.hc
}

// bearerTarget reports whether u may receive the Bearer token: the API
// base's scheme and host, or Endpoint.LogoutURL (scheme, host, port and
// path; any query), which needs the token wherever it is.
func (c *Client) bearerTarget(u *url.URL) bool {
	return endpoint.SameOrigin(u, c.apiBase) || (endpoint.SameOrigin(u, c.logoutURL) && u.Path == c.logoutURL.Path)
}

// apiTransport adds the session's token and the SDK's headers to API
// requests and applies the retry and 401 policy (see send).
type apiTransport struct {
	session *session
	base    http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.session.client.bearerTarget(req.URL) {
		return t.base.RoundTrip(req)
	}
	return t.session.send(req, t)
}

// bearerHeader caches the Authorization value for one token, so the hot
// path does not build "Bearer "+token for every request.
type bearerHeader struct {
	tok   *oauth2.Token
	value []string
}

// authorize returns a copy of req for the wire with ctx and tok (see
// roundtrip.Authorize).
func (t *apiTransport) authorize(req *http.Request, ctx context.Context, tok *oauth2.Token) *http.Request {
	b := t.session.bearer.Load()
	if b == nil || b.tok != tok {
		b = &bearerHeader{tok: tok, value: []string{"Bearer " + tok.AccessToken}}
		t.session.bearer.Store(b)
	}
	c := t.session.client
	return roundtrip.Authorize(ctx, req, b.value, c.acceptJSON, c.userAgent)
}

// send is the round trip of every request to the API host. The response
// it returns is the last one, unread.
//
// Attempts are counted as they reach the wire: net/http itself resends a
// GET once when a reused keep-alive connection fails before the answer,
// and that resend counts against RetryPolicy.MaxAttempts like the SDK's
// own (a replay after a rejected token does not count).
func (s *session) send(req *http.Request, t *apiTransport) (*http.Response, error) {
	ctx := req.Context()
	st := roundtrip.Of(ctx) // nil for a request through HTTPClient
	wc, wctx := roundtrip.NewCounter(ctx, st)
	replayed := false
	for attempt, sent, used := 0, 0, 0; ; sent++ {
		tok, err := cacheToken(ctx, &s.cache)
		if err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, &roundtrip.TokenFailure{Err: err}
		}
		out, err := roundtrip.Resendable(req, sent)
		if err != nil {
			return nil, err
		}
		n := st.Sent(sent)
		actx, a, start := s.attemptStart(wctx, req, n)
		before := wc.Conns()
		resp, err := roundtrip.Send(t.base, t.authorize(out, actx, tok))
		wired := used + st.Wired(wc.Conns()-before)
		v, code, rejected := roundtrip.Judge(s.policy(), req, resp, err, wired, replayed, req.Context().Value(noReplayKey{}) != nil)
		if rejected && v == roundtrip.Done {
			s.cache.Invalidate(tok.AccessToken)
		}
		st.Answered(resp)
		var wait time.Duration
		if v == roundtrip.Retry {
			var ok bool
			if wait, ok = roundtrip.Wait(ctx, s.client.backoffPolicy(), resp, attempt); !ok {
				v = roundtrip.Done // the caller's deadline would pass first
			}
		}
		s.attemptEnd(actx, a, start, resp, err, code, v, wait)
		switch v {
		case roundtrip.Done:
			return resp, err
		case roundtrip.Replay:
			s.cache.Invalidate(tok.AccessToken)
			roundtrip.Discard(resp, maxErrorRead)
			replayed = true
		case roundtrip.Retry:
			roundtrip.LogRetry(ctx, s.client.logger, s.client.operationName(req.URL.Path), req, resp, err, code, n, wait)
			if err := roundtrip.Pause(ctx, resp, wait, maxErrorRead); err != nil {
				return nil, err
			}
			attempt, used = attempt+1, wired
		}
	}
}

// policy is what roundtrip.Judge needs to know of the session.
func (s *session) policy() roundtrip.Policy {
	r := &s.client.retry
	return roundtrip.Policy{MaxAttempts: r.MaxAttempts, RetryQuota: r.RetryQuota, EndUser: s.cache.EndUser(),
		ConnError: isConnectionError, MaxPeek: maxErrorRead}
}
