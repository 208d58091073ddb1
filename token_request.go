package telenor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
	"github.com/telenor-go/telenor/internal/tokenhttp"
)

// Token requests go through x/oauth2, which decodes the answer once. Around
// it the SDK counts expiry from the send, caps bodies, follows no redirect
// and types every failure.

// DefaultTokenLifetime is a token's lifetime when its expires_in is
// missing, zero or negative, or a stored token has no Expiry: short, so a
// wrong guess costs one early re-fetch, and never "valid forever".
const DefaultTokenLifetime = 5 * time.Minute

// maxTokenLifetime caps an absurdly large expires_in.
const maxTokenLifetime = 24 * time.Hour

// retrieveToken runs one x/oauth2 token request, which sends secrets
// besides the client secret, and returns the token with expiry counted
// from the send time.
func (c *Client) retrieveToken(ctx context.Context, do func(context.Context) (*oauth2.Token, error), secrets ...string) (issued, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.tokenHTTP)
	sent := time.Now()
	tok, err := do(ctx)
	if err != nil {
		return issued{}, tokenError(ctx, err, append(secrets, c.authCode.ClientSecret))
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

// tokenError turns what x/oauth2 returned for a request under ctx, which
// sent secrets, into the SDK's typed errors. A server may echo what it was
// sent: its text loses every secret before it is cut to one line, so that
// no part of one is left in an error or a log.
func tokenError(ctx context.Context, err error, secrets []string) error {
	var ae *AuthError // a 2xx gateway error found by the token transport
	var re *oauth2.RetrieveError
	var ue *url.Error
	if !errors.As(err, &ae) && errors.As(err, &re) {
		ae = authError(re)
	}
	switch {
	case ae != nil:
		ae.Code, ae.Description = oneLine(ae.Code, secrets...), oneLine(ae.Description, secrets...)
		return ae
	case !errors.As(err, &ue):
		// x/oauth2's own verdict on a 2xx body: not JSON it can read (an
		// expires_in that is no number), or no access_token. Its text
		// quotes no more than a character or the expires_in value.
		return fmt.Errorf("%w: token response: %s", ErrMalformedResponse, oneLine(err.Error()))
	case ctx.Err() == nil && backoff.Timeout(err):
		// Not the caller's deadline but http.Client.Timeout or a network
		// timeout: say so, and do not wrap context.DeadlineExceeded, which
		// callers read as their own.
		return fmt.Errorf("%w: %v", ErrTokenTimeout, err)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
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
		ae.redirect = tokenhttp.RedirectTarget(r)
	}
	fillFromGateway(ae, re.Body)
	return ae
}

// newTokenHTTPClient returns hc's settings for token requests
// (internal/tokenhttp), which follow no redirect: the 3xx becomes an
// *AuthError.
func newTokenHTTPClient(hc *http.Client) *http.Client {
	return tokenhttp.NewClient(hc, tokenhttp.Transport{UserAgent: userAgent, Malformed: ErrMalformedResponse,
		GatewayError: func(status int, body []byte) error {
			ae := &AuthError{StatusCode: status}
			fillFromGateway(ae, body)
			return ae
		}})
}
