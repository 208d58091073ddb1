package roundtrip

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// TokenFailure marks an error from getting the token, so the typed path
// can return it as it is (it already says what to do) instead of as a
// transport failure of the request.
type TokenFailure struct{ Err error }

func (e *TokenFailure) Error() string { return e.Err.Error() }
func (e *TokenFailure) Unwrap() error { return e.Err }

// RequestError describes a request that got no response after attempts
// requests. A TokenFailure is returned as the error it carries, unless
// that is a deadline the caller did not set: a token wait within the
// request (the replay after a 401) runs under HTTPClient.Timeout.
func RequestError(req *http.Request, err error, attempts int) error {
	var tf *TokenFailure
	if errors.As(err, &tf) {
		if !errors.Is(tf.Err, context.DeadlineExceeded) || req.Context().Err() != nil {
			return tf.Err
		}
		err = tf.Err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the URL
	}
	if errors.Is(err, context.DeadlineExceeded) && req.Context().Err() == nil {
		// Not the caller's deadline: net/http does not always say whose.
		err = fmt.Errorf("%w (Config.HTTPClient.Timeout passed, not the context's deadline)", err)
	}
	if attempts > 1 {
		return fmt.Errorf("telenor: %s %s: %w (after %d attempts)", req.Method, req.URL.Path, err, attempts)
	}
	return fmt.Errorf("telenor: %s %s: %w", req.Method, req.URL.Path, err)
}

// CtxFirst returns err, unless ctx has ended: then the caller's own
// cancellation or deadline is the cause of a failure (nil stays nil).
// When a deadline cuts a body, net/http can hand over the cut body as if
// complete, which would otherwise read as a malformed response.
func CtxFirst(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && err != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (while reading the answer: %v)", ctxErr, err)
	}
	return err
}
