package telenor

import (
	"context"
	"errors"
	"fmt"
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
	s := c.newSystemSession(func(ctx context.Context) (issued, error) {
		got, err := c.passwordToken(ctx, username, password)
		var ae *AuthError
		if errors.As(err, &ae) && rejectsCredentials(ae) {
			ae.passwordGrant = true // the cache answers it for ever: say so
		}
		return got, err
	})
	c.share(&s.system.cache, username)
	return s
}

// passwordToken runs the password grant, retrying 429 (not quota), 5xx and
// connection failures with jittered backoff within ctx. A 4xx such as a
// wrong password is returned at once: replaying it cannot succeed and can
// lock the system user.
func (c *Client) passwordToken(ctx context.Context, username, password string) (issued, error) {
	if username == "" || password == "" {
		return issued{}, configError("PasswordGrant", "needs a non-empty username and password")
	}
	sent := 0 // requests, the default path's one-time 404 included
	for attempt := 0; ; attempt++ {
		got, n, err := c.passwordOnce(ctx, username, password)
		if sent += n; err == nil || attempt+1 >= c.retry.MaxAttempts || !c.retryableTokenError(err) {
			return got, afterAttempts(err, sent)
		}
		wait := c.backoffPolicy().Wait(attempt, retryAfterOf(err))
		c.logger.DebugContext(ctx, "telenor: retrying password grant", "attempt", attempt+1, "wait", wait, "error", err)
		if backoff.Sleep(ctx, wait) != nil {
			return issued{}, afterAttempts(err, sent)
		}
	}
}

// passwordOnce posts the password grant to the path in use, and returns
// how many requests it sent. When the default path answers 404, it posts
// once to BaseURL + "/oauth/v2/token" and, if that path answers anything
// but 404, keeps it for the Client's life.
func (c *Client) passwordOnce(ctx context.Context, username, password string) (issued, int, error) {
	post := func(conf *oauth2.Config) (issued, error) {
		return c.retrieveToken(ctx, func(ctx context.Context) (*oauth2.Token, error) {
			return conf.PasswordCredentialsToken(ctx, username, password)
		}, password)
	}
	conf := c.password.Load()
	got, err := post(conf)
	if c.fallback == nil || conf == c.fallback || authStatus(err) != http.StatusNotFound {
		return got, 1, err
	}
	got, err = post(c.fallback)
	if st := authStatus(err); (err == nil || st != 0 && st != http.StatusNotFound) && c.password.CompareAndSwap(conf, c.fallback) {
		c.logger.WarnContext(ctx, "telenor: the password grant's default path answered 404; using the v2 token path from now on",
			"from", conf.Endpoint.TokenURL, "to", c.fallback.Endpoint.TokenURL)
	}
	return got, 2, err
}

// afterAttempts says in err that n token requests were sent, when there
// was more than one: in the *AuthError's Attempts, or in the text.
func afterAttempts(err error, n int) error {
	var ae *AuthError
	switch {
	case err == nil || n < 2:
		return err
	case errors.As(err, &ae):
		ae.Attempts = n
		return err
	}
	return fmt.Errorf("%w (after %d attempts)", err, n)
}

// authStatus is the HTTP status of the *AuthError in err; 0 if none.
func authStatus(err error) int {
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}
