package telenor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/telenor-go/telenor/internal/wire"
)

// maxTokenBody caps a token endpoint response. Real ones are under 1 KiB.
// An error body is read up to this size, so its gateway code is found far
// past the 4 KiB an APIError keeps.
const maxTokenBody = 64 << 10

// maxTokenErrorDrain is how much more of an oversized error body is read
// and thrown away so that the keep-alive connection can be reused.
const maxTokenErrorDrain = 64 << 10

// Token lifetimes the cache uses when the server's expires_in cannot be used.
const (
	// DefaultTokenLifetime is assumed when expires_in is missing, zero,
	// negative or not a number: short, so a wrong guess costs one early
	// re-fetch, and never "valid forever".
	DefaultTokenLifetime = 5 * time.Minute
	// MaxTokenLifetime caps an absurdly large expires_in.
	MaxTokenLifetime = 24 * time.Hour
)

// tokenMeta carries what the normalizing transport saw of one token
// response back to the code that called x/oauth2. x/oauth2 would reject
// "expires_in":"abc" or 3599.5 outright, and counts expiry from when the
// response arrived; the SDK wants leniency and counts from the send time.
type tokenMeta struct {
	expiresIn json.RawMessage
}

type tokenMetaKey struct{}

// withTokenMeta returns a context on which the token transport records m.
func withTokenMeta(ctx context.Context, m *tokenMeta) context.Context {
	return context.WithValue(ctx, tokenMetaKey{}, m)
}

// tokenTransport wraps the app's transport for token requests only: it caps
// the body, strips expires_in (recording it in the request's tokenMeta) and
// labels a JSON body as JSON whatever Content-Type the gateway put on it.
type tokenTransport struct {
	base http.RoundTripper
}

// newTokenHTTPClient returns hc's settings for token requests, which
// follow no redirect: every one carries the client secret, and a password
// or a code, that a 3xx must not send to another port, scheme or host
// (a 307/308 would even post the form again). The 3xx comes back as the
// response and becomes an *AuthError naming where it pointed.
func newTokenHTTPClient(hc *http.Client) *http.Client {
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{
		Transport:     &tokenTransport{base: base},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Jar:           hc.Jar,
		Timeout:       hc.Timeout,
	}
}

// redirectTarget returns the scheme and host a 3xx answer points to
// (resolved against the request), never its path or query, which may
// carry a code or a key; "" when resp is no redirect.
func redirectTarget(resp *http.Response) string {
	if resp == nil || resp.StatusCode/100 != 3 {
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
	return u.Scheme + "://" + u.Host
}

// RoundTrip implements http.RoundTripper.
func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := wire.ReadLimited(resp.Body, maxTokenBody)
	if errors.Is(err, wire.ErrTooLarge) && resp.StatusCode/100 != 2 {
		// An oversized error keeps its status (a 503 stays retryable);
		// draining a bounded amount more keeps the connection.
		_, _ = io.CopyN(io.Discard, resp.Body, maxTokenErrorDrain)
		err = nil
	}
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("%w: token response: %w", ErrMalformedResponse, err)
	}
	if resp.StatusCode/100 == 2 {
		if body, err = normalizeTokenBody(req.Context(), resp, body); err != nil {
			return nil, err
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// normalizeTokenBody checks a 2xx token response before x/oauth2 sees it.
// A JSON object loses its expires_in (recorded in the request's tokenMeta
// for lenient parsing) and is labelled JSON whatever Content-Type came
// with it. Anything that cannot be a token response (HTML, an empty body,
// broken JSON, an object with neither access_token nor error) becomes an
// ErrMalformedResponse. The error never quotes the body: a half-readable
// token response may still carry a live access token.
func normalizeTokenBody(ctx context.Context, resp *http.Response, body []byte) ([]byte, error) {
	ctype := resp.Header.Get("Content-Type")
	if !looksLikeJSONObject(body) {
		if isFormContentType(ctype) && len(body) > 0 {
			return body, nil // x/oauth2 parses form-encoded token responses itself
		}
		return nil, malformedToken(resp.StatusCode, ctype, len(body), "is not a JSON object")
	}
	raw, stripped, ok := wire.TokenFields(body)
	if !ok {
		return nil, malformedToken(resp.StatusCode, ctype, len(body), "is not valid JSON")
	}
	if !wire.HasTokenOrError(stripped) {
		if ae := gatewayTokenError(resp.StatusCode, stripped); ae != nil {
			return nil, ae
		}
		return nil, malformedToken(resp.StatusCode, ctype, len(body), "has neither access_token nor error")
	}
	if m, _ := ctx.Value(tokenMetaKey{}).(*tokenMeta); m != nil {
		m.expiresIn = raw
	}
	resp.Header.Set("Content-Type", "application/json")
	return stripped, nil
}

// gatewayTokenError returns the *AuthError a 2xx token answer stands for
// when it is a gateway or Apigee error object (a code and no token), such
// as 40108 for a wrong client secret; nil when it is not one.
func gatewayTokenError(status int, body []byte) *AuthError {
	g, ok := wire.ParseGatewayError(body)
	if !ok || (g.Code == 0 && g.CodeText == "") {
		return nil
	}
	ae := &AuthError{StatusCode: status}
	fillFromGateway(ae, body)
	return ae
}

func malformedToken(status int, ctype string, n int, problem string) error {
	if ctype == "" {
		ctype = "no Content-Type"
	}
	return fmt.Errorf("%w: token endpoint answered %d with a %d-byte body (%s) that %s",
		ErrMalformedResponse, status, n, ctype, problem)
}

func isFormContentType(v string) bool {
	mt, _, _ := mime.ParseMediaType(v)
	return mt == "application/x-www-form-urlencoded" || mt == "text/plain"
}

func looksLikeJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

// tokenLifetime turns the raw expires_in into a lifetime and says, for the
// log, when it had to fall back to DefaultTokenLifetime.
func tokenLifetime(raw json.RawMessage) (life time.Duration, problem string) {
	secs, kind := wire.ParseExpiresIn(raw)
	switch {
	case kind == wire.ExpiresMissing:
		return DefaultTokenLifetime, "expires_in missing"
	case kind == wire.ExpiresInvalid:
		return DefaultTokenLifetime, "expires_in is not a number"
	case secs == 0:
		return DefaultTokenLifetime, "expires_in is zero"
	case secs < 0:
		return DefaultTokenLifetime, "expires_in is negative"
	case secs > int64(MaxTokenLifetime/time.Second):
		return MaxTokenLifetime, "expires_in capped"
	}
	return time.Duration(secs) * time.Second, ""
}
