package telenor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/backoff"
)

// PasswordGrant returns the session of a company system user (username and
// password from Min Bedrift's API section). Its token comes from the
// password grant at Endpoint.PasswordTokenURL, is cached, and is refreshed
// in the background before it expires, so in steady state no caller waits.
//
// No request is made until the first Token or API call. Create one session
// per system user and share it: it is safe for any number of goroutines.
// Empty credentials are reported by the first call as ErrInvalidConfig.
//
// Rejected credentials end the session: once the token endpoint answers
// invalid_grant (wrong username or password) or invalid_client (wrong
// client id or secret: 40108, or a 401), the session never sends a token
// request again, since every resend of a wrong password counts towards
// locking the system user out. Every later Token or API call returns that
// same *AuthError at once (matching ErrInvalidGrant or ErrInvalidClient)
// without a request; make a new session with PasswordGrant after fixing
// the credentials. Transient failures (429, 5xx, timeouts, connection
// errors) are retried with backoff as usual.
func (c *Client) PasswordGrant(username, password string) *SystemSession {
	pw := secretString(password)
	return c.newSystemSession(func(ctx context.Context) (issued, error) {
		got, err := c.passwordToken(ctx, username, pw)
		var ae *AuthError
		if errors.As(err, &ae) && rejectsCredentials(ae) {
			ae.passwordGrant = true // the cache answers it for ever: say so
		}
		return got, err
	})
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

// secretString holds a password so that no fmt verb, slog handler or
// encoder can print it by accident.
type secretString string

// Format makes every verb, %x and %q included, print the redaction.
func (secretString) Format(f fmt.State, _ rune) { fmt.Fprint(f, redacted) }

// LogValue implements slog.LogValuer.
func (secretString) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps encoders (JSON logs included) from writing the secret.
func (secretString) MarshalText() ([]byte, error) { return []byte(redacted), nil }
