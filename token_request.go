package telenor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
	"github.com/telenor-go/telenor/internal/wire"
)

// Token requests go through x/oauth2, which decodes the answer once. Around
// it the SDK counts expiry from the send, caps bodies, follows no redirect
// and types every failure.

// maxTokenBody caps a token endpoint response (real ones are under 1 KiB);
// a longer error body is drained as far again to keep the connection.
const maxTokenBody = 64 << 10

// DefaultTokenLifetime is a token's lifetime when its expires_in is
// missing, zero or negative, or a stored token has no Expiry: short, so a
// wrong guess costs one early re-fetch, and never "valid forever".
const DefaultTokenLifetime = 5 * time.Minute

// maxTokenLifetime caps an absurdly large expires_in.
const maxTokenLifetime = 24 * time.Hour

// retrieveToken runs one x/oauth2 token request and returns the token with
// expiry counted from the send time.
func (c *Client) retrieveToken(ctx context.Context, do func(context.Context) (*oauth2.Token, error)) (issued, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.tokenHTTP)
	sent := time.Now()
	tok, err := do(ctx)
	if err != nil {
		return issued{}, tokenError(ctx, err)
	}
	life := time.Duration(tok.ExpiresIn) * time.Second
	switch {
	case tok.ExpiresIn <= 0:
		c.logger.WarnContext(ctx, "telenor: token response without a usable expires_in", "expires_in", tok.ExpiresIn, "using", DefaultTokenLifetime)
		life = DefaultTokenLifetime
	case life > maxTokenLifetime:
		life = maxTokenLifetime
	}
	tok.Expiry, tok.ExpiresIn = sent.Add(life), int64(life/time.Second)
	return issued{Tok: tok, Sent: sent}, nil
}

// tokenError turns what x/oauth2 returned for a request under ctx into the
// SDK's typed errors.
func tokenError(ctx context.Context, err error) error {
	var ae *AuthError
	var re *oauth2.RetrieveError
	var ue *url.Error
	switch {
	case errors.As(err, &ae):
		return ae // a 2xx gateway error found by the token transport
	case errors.As(err, &re):
		return authError(re)
	case !errors.As(err, &ue):
		// x/oauth2's own verdict on a 2xx body: not JSON it can read (an
		// expires_in that is no number), or no access_token. Its text
		// quotes no more than a character or the expires_in value.
		return fmt.Errorf("%w: token response: %s", ErrMalformedResponse, oneLine(err.Error()))
	case ctx.Err() == nil && isTimeout(err):
		// Not the caller's deadline but http.Client.Timeout or a network
		// timeout: say so, and do not wrap context.DeadlineExceeded, which
		// callers read as their own.
		return fmt.Errorf("%w: %v", ErrTokenTimeout, err)
	case isContextError(err):
		return err
	}
	return fmt.Errorf("telenor: token request failed: %w", err)
}

// authError is the *AuthError for an OAuth error answer. re is not kept:
// its Response.Request holds the Basic header and the form with the
// password or code, which any deep printer would show.
func authError(re *oauth2.RetrieveError) *AuthError {
	ae := &AuthError{Code: re.ErrorCode, Description: re.ErrorDescription}
	if r := re.Response; r != nil {
		ae.StatusCode = r.StatusCode
		ae.RetryAfter, _ = backoff.ParseRetryAfter(r.Header.Get("Retry-After"), time.Now())
		ae.redirect = redirectTarget(r)
	}
	fillFromGateway(ae, re.Body)
	return ae
}

// newTokenHTTPClient returns hc's settings for token requests, which follow
// no redirect: they carry the client secret and a password or a code (a
// 307/308 would post them again). The 3xx becomes an *AuthError.
func newTokenHTTPClient(hc *http.Client) *http.Client {
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{
		Transport:     tokenTransport{base},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Jar:           hc.Jar,
		Timeout:       hc.Timeout,
	}
}

// redirectTarget returns the scheme and host a 3xx points to, never its
// path or query, which may carry a code; "" for no redirect.
func redirectTarget(resp *http.Response) string {
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
	return oneLine(u.Scheme + "://" + u.Host)
}

// tokenTransport reads token responses through maxTokenBody before x/oauth2
// sees them. A 2xx must be a JSON object (labelled JSON whatever its
// Content-Type); a gateway error object in it (a code and no access_token,
// such as 40108) becomes that *AuthError. Errors never quote the body: it
// may carry a live token.
type tokenTransport struct{ base http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// x/oauth2 sets neither header. Telenor's samples send Accept:
	// application/json, and the User-Agent tells SDK traffic apart. A
	// RoundTripper must not modify its request: set them on a copy.
	if req.Header.Get("Accept") == "" || req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		if req.Header.Get("Accept") == "" {
			req.Header.Set("Accept", "application/json")
		}
		if req.Header.Get("User-Agent") == "" {
			req.Header.Set("User-Agent", userAgent)
		}
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := wire.ReadLimited(resp.Body, maxTokenBody)
	ok := resp.StatusCode/100 == 2
	if errors.Is(err, wire.ErrTooLarge) && !ok {
		// An oversized error keeps its status (a 503 stays retryable).
		_, _ = io.CopyN(io.Discard, resp.Body, maxTokenBody)
		err = nil
	}
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("%w: token response: %w", ErrMalformedResponse, err)
	}
	if ok {
		if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
			return nil, malformedToken(resp, len(body), "is not a JSON object")
		}
		if !bytes.Contains(body, []byte(`"access_token"`)) {
			if g, found := wire.ParseGatewayError(body); found && (g.Code != 0 || g.CodeText != "") {
				ae := &AuthError{StatusCode: resp.StatusCode}
				fillFromGateway(ae, body)
				return nil, ae
			}
		}
		resp.Header.Set("Content-Type", "application/json")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

func malformedToken(resp *http.Response, n int, problem string) error {
	ctype := resp.Header.Get("Content-Type")
	if ctype == "" {
		ctype = "no Content-Type"
	}
	return fmt.Errorf("%w: token endpoint answered %d with a %d-byte body (%s) that %s",
		ErrMalformedResponse, resp.StatusCode, n, oneLine(ctype), problem)
}
