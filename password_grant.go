package telenor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
)

// PasswordGrant returns a Session for a company system user (username and
// password from Min Bedrift's API section). Its token comes from the
// password grant at Endpoint.PasswordTokenURL, is cached, and is refreshed
// in the background before it expires, so in steady state no caller waits.
//
// No request is made until the first Token or API call. Create one Session
// per system user and share it: it is safe for any number of goroutines.
// Empty credentials are reported by the first call as ErrInvalidConfig.
//
// Rejected credentials end the Session: once the token endpoint answers
// invalid_grant (wrong username or password) or invalid_client (wrong
// client id or secret: 40108, or a 401), the Session never sends a token
// request again, since every resend of a wrong password counts towards
// locking the system user out. Every later Token or API call returns that
// same *AuthError at once (matching ErrInvalidGrant or ErrInvalidClient)
// without a request; make a new Session with PasswordGrant after fixing
// the credentials. Transient failures (429, 5xx, timeouts, connection
// errors) are retried with backoff as usual.
func (c *Client) PasswordGrant(username, password string) *Session {
	pw := secretString(password)
	s := c.newSession(sessionSystem, func(ctx context.Context) (issued, error) {
		got, err := c.passwordToken(ctx, username, pw)
		var ae *AuthError
		if errors.As(err, &ae) && rejectsCredentials(ae) {
			ae.passwordGrant = true // the cache answers it for ever: say so
		}
		return got, err
	})
	c.share(s.cache, username)
	return s
}

// passwordToken runs the password grant, retrying 429 (not quota), 5xx and
// connection failures with jittered backoff within ctx. A 4xx such as a
// wrong password is returned at once: replaying it cannot succeed and can
// lock the system user.
func (c *Client) passwordToken(ctx context.Context, username string, password secretString) (issued, error) {
	if username == "" || password == "" {
		return issued{}, configError("PasswordGrant", "needs a non-empty username and password")
	}
	policy := c.backoffPolicy()
	for attempt := 0; ; attempt++ {
		got, err := c.passwordOnce(ctx, username, password)
		if err == nil || attempt+1 >= c.retry.MaxAttempts || !c.retryableTokenError(err) {
			return got, err
		}
		wait := policy.Wait(attempt, retryAfterOf(err))
		c.logger.Debug("telenor: retrying password grant", "attempt", attempt+1, "wait", wait, "error", err)
		if backoff.Sleep(ctx, wait) != nil {
			return issued{}, err
		}
	}
}

// passwordOnce posts the password grant to the path in use. When the
// default path answers 404, it posts once to BaseURL + "/oauth/v2/token"
// and, if that path answers anything but 404, keeps it for the Client's
// life.
func (c *Client) passwordOnce(ctx context.Context, username string, password secretString) (issued, error) {
	conf := c.password.Load()
	got, err := c.passwordAt(ctx, conf, username, password)
	if c.fallback == nil || conf == c.fallback || !isNotFound(err) {
		return got, err
	}
	got, err = c.passwordAt(ctx, c.fallback, username, password)
	var ae *AuthError
	if (err == nil || (errors.As(err, &ae) && ae.StatusCode != http.StatusNotFound)) &&
		c.password.CompareAndSwap(conf, c.fallback) {
		c.logger.Warn("telenor: the password grant's default path answered 404; using the v2 token path from now on",
			"from", conf.Endpoint.TokenURL, "to", c.fallback.Endpoint.TokenURL)
	}
	return got, err
}

func (c *Client) passwordAt(ctx context.Context, conf *oauth2.Config, username string, password secretString) (issued, error) {
	return c.retrieveToken(ctx, func(ctx context.Context) (*oauth2.Token, error) {
		return conf.PasswordCredentialsToken(ctx, username, string(password))
	})
}

func isNotFound(err error) bool {
	var ae *AuthError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound
}

// retrieveToken runs one x/oauth2 token request through the normalizing
// transport and returns the token with expiry counted from the send time.
func (c *Client) retrieveToken(ctx context.Context, do func(context.Context) (*oauth2.Token, error)) (issued, error) {
	meta := &tokenMeta{}
	ctx = context.WithValue(withTokenMeta(ctx, meta), oauth2.HTTPClient, c.tokenHTTP)
	sent := time.Now()
	tok, err := do(ctx)
	if err != nil {
		return issued{}, c.tokenError(ctx, err)
	}
	life, problem := tokenLifetime(meta.expiresIn)
	if problem != "" {
		c.logger.Warn("telenor: unusual token lifetime", "problem", problem, "raw", string(meta.expiresIn), "using", life)
	}
	tok.Expiry = sent.Add(life)
	tok.ExpiresIn = int64(life / time.Second)
	return issued{tok: tok, sent: sent}, nil
}

// tokenError turns what x/oauth2 returned for a request under ctx into the
// SDK's typed errors.
func (c *Client) tokenError(ctx context.Context, err error) error {
	var typed *AuthError
	if errors.As(err, &typed) {
		return typed // a 2xx gateway error found by the token transport
	}
	re, ok := retrieveError(err)
	if !ok {
		if ctx.Err() == nil && isTimeout(err) {
			// Not ctx's deadline but http.Client.Timeout or a network
			// timeout: say so, and do not wrap context.DeadlineExceeded,
			// which callers read as their own.
			return fmt.Errorf("%w: %v", ErrTokenTimeout, err)
		}
		if isContextError(err) {
			return err
		}
		return fmt.Errorf("telenor: token request failed: %w", err)
	}
	// re is not kept: its Response.Request holds the Basic header and the
	// form with the password or code, which any deep printer would show.
	ae := &AuthError{Code: re.ErrorCode, Description: re.ErrorDescription}
	if re.Response != nil {
		ae.StatusCode = re.Response.StatusCode
		ae.RetryAfter, _ = backoff.ParseRetryAfter(re.Response.Header.Get("Retry-After"), time.Now())
		ae.redirect = redirectTarget(re.Response)
	}
	fillFromGateway(ae, re.Body)
	return ae
}

// retryableTokenError reports whether a failed token request may succeed if
// sent again: 429 spike arrest (and quota when configured), 5xx, a
// request's own timeout, and connection failures. Everything else, 4xx
// first, is final.
func (c *Client) retryableTokenError(err error) bool {
	var ae *AuthError
	if errors.As(err, &ae) {
		if ae.StatusCode == http.StatusTooManyRequests {
			return ae.GatewayCode != CodeQuotaExceeded || c.retry.RetryQuota
		}
		return ae.StatusCode >= 500
	}
	return errors.Is(err, ErrTokenTimeout) || isConnectionError(err)
}

// isTimeout reports whether err is a timeout of any kind: a context
// deadline, http.Client.Timeout, or a net.Error that timed out.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// isConnectionError reports failures that happen before or while a response
// arrives: resets, refused connections, unexpected EOF, network timeouts.
func isConnectionError(err error) bool {
	if isContextError(err) || errors.Is(err, ErrMalformedResponse) {
		return false
	}
	// *url.Error implements net.Error whatever it wraps: judge what it wraps.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	var broken textproto.ProtocolError // an answer cut inside its header
	return errors.As(err, &broken) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.As(err, &ne) || isEOF(err)
}

// isAuthError reports the token endpoint's own verdict (an *AuthError).
func isAuthError(err error) bool {
	var ae *AuthError
	return errors.As(err, &ae)
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (c *Client) backoffPolicy() backoff.Policy {
	return backoff.Policy{Base: c.retry.BaseDelay, Max: c.retry.MaxDelay, MaxRetryAfter: c.retry.MaxRetryAfter}
}
