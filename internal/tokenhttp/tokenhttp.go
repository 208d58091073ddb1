// Package tokenhttp is the HTTP client of token requests: it follows no
// redirect (token requests carry the client secret and a password or a
// code, which a 307/308 would post again), caps bodies and checks that a
// 2xx is a token answer before x/oauth2 reads it. Errors never quote the
// body: it may carry a live token.
package tokenhttp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/telenor-go/telenor/internal/wire"
)

// MaxBody caps a token endpoint response (real ones are under 1 KiB); a
// longer error body is drained as far again to keep the connection.
const MaxBody = 64 << 10

// Transport reads token responses through MaxBody before x/oauth2 sees
// them. A 2xx must be a JSON object (labelled JSON whatever its
// Content-Type); a gateway error object in it (a code and no access_token,
// such as 40108) becomes GatewayError's error.
type Transport struct {
	Base      http.RoundTripper
	UserAgent string
	// Malformed is wrapped by the error for a body that is no answer.
	Malformed error
	// GatewayError is the error for a 2xx carrying a gateway error object.
	GatewayError func(status int, body []byte) error
}

// NewClient returns hc's settings for token requests through t, following
// no redirect: the 3xx is the answer.
func NewClient(hc *http.Client, t Transport) *http.Client {
	t.Base = hc.Transport
	if t.Base == nil {
		t.Base = http.DefaultTransport
	}
	return &http.Client{
		Transport:     t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Jar:           hc.Jar,
		Timeout:       hc.Timeout,
	}
}

// RoundTrip implements http.RoundTripper.
func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// x/oauth2 sets neither header. Telenor's samples send Accept:
	// application/json, and the User-Agent tells SDK traffic apart. A
	// RoundTripper must not modify its request: set them on a copy.
	if req.Header.Get("Accept") == "" || req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		if req.Header.Get("Accept") == "" {
			req.Header.Set("Accept", "application/json")
		}
		if req.Header.Get("User-Agent") == "" {
			req.Header.Set("User-Agent", t.UserAgent)
		}
	}
	resp, err := t.Base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := wire.ReadLimited(resp.Body, MaxBody)
	ok := resp.StatusCode/100 == 2
	if errors.Is(err, wire.ErrTooLarge) && !ok {
		// An oversized error keeps its status (a 503 stays retryable).
		_, _ = io.CopyN(io.Discard, resp.Body, MaxBody)
		err = nil
	}
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("%w: token response: %w", t.Malformed, err)
	}
	if ok {
		if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
			return nil, t.malformed(resp, len(body), "is not a JSON object")
		}
		if !bytes.Contains(body, []byte(`"access_token"`)) {
			if g, found := wire.ParseGatewayError(body); found && (g.Code != 0 || g.CodeText != "") {
				return nil, t.GatewayError(resp.StatusCode, body)
			}
		}
		resp.Header.Set("Content-Type", "application/json")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

func (t Transport) malformed(resp *http.Response, n int, problem string) error {
	ctype := resp.Header.Get("Content-Type")
	if ctype == "" {
		ctype = "no Content-Type"
	}
	return fmt.Errorf("%w: token endpoint answered %d with a %d-byte body (%s) that %s",
		t.Malformed, resp.StatusCode, n, wire.OneLine(ctype, 200), problem)
}

// RedirectTarget returns the scheme and host a 3xx points to, never its
// path or query, which may carry a code; "" for no redirect.
func RedirectTarget(resp *http.Response) string {
	if resp.StatusCode/100 != 3 {
		return ""
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "nowhere (no Location)"
	}
	u, err := url.Parse(loc)
	if err == nil && resp.Request != nil && resp.Request.URL != nil {
		u = resp.Request.URL.ResolveReference(u)
	}
	if err != nil || u.Host == "" {
		return "an unparsable Location"
	}
	return wire.OneLine(u.Scheme+"://"+u.Host, 200)
}
