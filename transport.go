package telenor

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"golang.org/x/oauth2"
)

// HTTPClient returns an *http.Client for Telenor's APIs that authenticates
// as this Session. It adds "Authorization: Bearer <token>" only to requests
// whose scheme and host are those of Config.BaseURL (and to
// Endpoint.LogoutURL, wherever it is), and never to a redirect that
// leaves them (x/oauth2's Transport would send the token to
// any host a redirect names). It sets "Accept: application/json" and the
// SDK's User-Agent unless the request has its own, retries GETs on 429
// spike arrest, 5xx and connection failures with jittered backoff that
// honours Retry-After, and on a 401 for a rejected token (40105, 40106)
// invalidates that token and, for a system user's Session, replays the
// request once with a new one.
//
// Requests to other hosts pass through untouched. The client shares
// Config.HTTPClient's transport, timeout and cookie jar. Every call returns
// the same client; it is safe for concurrent use.
func (s *Session) HTTPClient() *http.Client {
	if s == nil {
		return nil
	}
	return s.hc
}

// newAPIHTTPClient builds the Session's client around the app's transport.
func (c *Client) newAPIHTTPClient(s *Session) *http.Client {
	base := c.httpClient.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{
		Transport: &apiTransport{
			session:   s,
			base:      base,
			accept:    []string{"application/json"},
			userAgent: []string{userAgent},
		},
		CheckRedirect: c.checkRedirect(c.httpClient.CheckRedirect),
		Jar:           c.httpClient.Jar,
		Timeout:       c.httpClient.Timeout,
	}
}

// checkRedirect strips any Authorization header from a redirect that leaves
// the API host before the app's own policy (or net/http's default of at
// most 10 redirects) decides whether to follow it. net/http already drops
// the header for unrelated hosts but keeps it for subdomains and for an
// https-to-http downgrade; the SDK's rule is stricter: same scheme and host.
func (c *Client) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.Context().Value(noRedirectKey{}) != nil {
			return http.ErrUseLastResponse // the 3xx itself is the answer
		}
		if !c.isAPIURL(req.URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// isAPIURL reports whether u has the API base's scheme and host (with
// default ports made explicit): the only place a Bearer token may go.
func (c *Client) isAPIURL(u *url.URL) bool {
	b := c.apiBase
	return u != nil && strings.EqualFold(u.Scheme, b.Scheme) &&
		strings.EqualFold(u.Hostname(), b.Hostname()) && portOf(u) == portOf(b)
}

// portOf returns u's port, or the scheme's default port.
func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// apiTransport adds the Session's token and the SDK's headers to API
// requests and applies the retry and 401 policy (see Session.send).
type apiTransport struct {
	session *Session
	base    http.RoundTripper
	// Header values shared by every request: never modified in place.
	accept, userAgent []string
}

// RoundTrip implements http.RoundTripper.
func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if c := t.session.client; !c.isAPIURL(req.URL) && !c.isLogoutURL(req.URL) {
		return t.base.RoundTrip(req)
	}
	return t.session.send(req, t)
}

// isLogoutURL reports whether u is Endpoint.LogoutURL (scheme, host, port
// and path; any query): a configured endpoint that needs the Bearer token
// even when it is on another host than the API.
func (c *Client) isLogoutURL(u *url.URL) bool {
	lo, err := url.Parse(c.endpoint.LogoutURL)
	return err == nil && u != nil && strings.EqualFold(u.Scheme, lo.Scheme) &&
		strings.EqualFold(u.Hostname(), lo.Hostname()) && portOf(u) == portOf(lo) && u.Path == lo.Path
}

// bearerHeader caches the Authorization value for one token, so the hot
// path does not build "Bearer "+token for every request.
type bearerHeader struct {
	tok   *oauth2.Token
	value []string
}

// authHeader returns the Authorization header value for tok.
func (s *Session) authHeader(tok *oauth2.Token) []string {
	if h := s.bearer.Load(); h != nil && h.tok == tok {
		return h.value
	}
	h := &bearerHeader{tok: tok, value: []string{"Bearer " + tok.AccessToken}}
	s.bearer.Store(h)
	return h.value
}

// authorize returns a shallow copy of req with context ctx, carrying tok
// and the default headers: a RoundTripper must not modify its request,
// and the copy is what keeps the token off any redirect net/http derives
// from req.
func (t *apiTransport) authorize(req *http.Request, ctx context.Context, tok *oauth2.Token) *http.Request {
	r := req.WithContext(ctx)
	h := make(http.Header, len(req.Header)+3)
	for k, v := range req.Header {
		h[k] = v
	}
	h["Authorization"] = t.session.authHeader(tok)
	if _, ok := h["Accept"]; !ok {
		h["Accept"] = t.accept
	}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = t.userAgent
	}
	r.Header = h
	return r
}

// bearerCache is embedded in Session for authHeader.
type bearerCache = atomic.Pointer[bearerHeader]
