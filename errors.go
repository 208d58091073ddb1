package telenor

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/telenor-go/telenor/internal/backoff"
	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/roundtrip"
	"github.com/telenor-go/telenor/internal/wire"
)

// Sentinel errors for errors.Is; the typed errors below match them too.
var (
	// ErrAccessDenied: the end user refused consent on Telenor's page.
	// Show the user a page that lets them try again; do not retry on their behalf.
	ErrAccessDenied = errors.New("telenor: the user denied consent")

	// ErrStateMismatch: the callback's state is missing or not this
	// browser's (forged or replayed). Nothing was exchanged: start again.
	ErrStateMismatch = errors.New("telenor: callback state does not match the expected state")

	// ErrReauthenticate: an end user's token has expired or was rejected;
	// a UserSession cannot renew it. Send the user through AuthCodeURL.
	ErrReauthenticate = errors.New("telenor: the user token has expired or was rejected; the user must log in again")

	// ErrInvalidConfig: the Config (or a call's arguments) cannot work. The
	// message names the field. Fix the configuration; retrying will not help.
	ErrInvalidConfig = errors.New("telenor: invalid configuration")

	// ErrInvalidClient: the token endpoint rejected the app's client id or
	// secret (OAuth "invalid_client", gateway code 40108, or a 401 naming
	// no other OAuth error).
	ErrInvalidClient = errors.New("telenor: client id or client secret rejected")

	// ErrInvalidGrant: the token endpoint rejected the grant itself (OAuth
	// "invalid_grant"): a wrong system-user username or password, or a used
	// or expired authorization code. A SystemSession that got it (or
	// ErrInvalidClient) never sends a token request again: make a new one.
	ErrInvalidGrant = errors.New("telenor: username/password or authorization code rejected")

	// ErrRateLimited: Telenor answered 429 (CodeQuotaExceeded,
	// CodeSpikeArrest); the typed error's RetryAfter is the server's wait.
	ErrRateLimited = errors.New("telenor: rate limited")

	// ErrTokenTimeout: the shared token fetch (retries included) did not
	// finish within Config.TokenTimeout, or one of its requests timed out.
	// The session tries again on the next call after a backoff. It never
	// matches context.DeadlineExceeded, which is the caller's own.
	ErrTokenTimeout = errors.New("telenor: token request timed out")

	// ErrMalformedResponse: a response could not be understood (bad JSON,
	// wrong content type, missing access_token, body over the size limit).
	ErrMalformedResponse = errors.New("telenor: malformed response")

	// ErrListChanged: a paged listing changed while it was read (its
	// total changed), so items may be missing or repeated; the iterator
	// stops with it. Range again, or key what you collected.
	ErrListChanged = errors.New("telenor: the list changed while it was being paged")
)

// Gateway codes of a 429 (APIError.Code, AuthError.GatewayCode), which
// call for different waits. The SDK retries spike arrest itself; quota
// only with RetryPolicy.RetryQuota.
const (
	CodeQuotaExceeded = gateway.CodeQuotaExceeded // 42901, quota: back off for a longer window
	CodeSpikeArrest   = gateway.CodeSpikeArrest   // 42902, spike arrest: short back-off and retry
)

// AuthError is a failure of the OAuth side of Telenor's gateway: the token
// endpoint refused a grant, or the authorization callback carried an error.
// Its text fields are the server's words on one printable line, capped;
// it holds no secret (no request, response or *oauth2.RetrieveError).
type AuthError struct {
	// StatusCode is the token endpoint's HTTP status; 0 for callback errors.
	StatusCode int
	// Code is the OAuth error code, such as "invalid_grant" or "access_denied".
	Code string
	// Description is the OAuth error_description, or the gateway's message.
	Description string
	// GatewayCode is Telenor's numeric error code (for example 40108), 0 if none.
	GatewayCode int
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Attempts counts the token requests sent, retries and the default
	// password path's one-time 404 included; 0 or 1 means one.
	Attempts int
	// Err is the underlying cause when there is one, such as ErrMissingCode.
	Err error

	redirect      string // scheme and host of a 3xx, which token requests do not follow
	passwordGrant bool   // a SystemSession's: it never sends the credentials again
}

// Error says what was rejected and what to do about it. It never contains
// credentials: only the status, codes and the server's description.
func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("telenor: ")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "token endpoint answered %d", e.StatusCode)
		if e.redirect != "" {
			fmt.Fprintf(&b, " (a redirect to %s, not followed: token requests carry credentials)", e.redirect)
		}
	} else {
		b.WriteString("authorization failed")
	}
	// Sanitised again here: an AuthError may be built by hand.
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", oneLine(e.Code))
	}
	if e.GatewayCode != 0 {
		fmt.Fprintf(&b, " (code %d)", e.GatewayCode)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", oneLine(e.Description))
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if hint := e.hint(); hint != "" {
		b.WriteString("; ")
		b.WriteString(hint)
	}
	return b.String()
}

func (e *AuthError) hint() string {
	end := "" // a SystemSession whose credentials were rejected: see PasswordGrant
	if e.passwordGrant {
		end = "; this session sends no more token requests: make a new session (Client.PasswordGrant) after fixing the credentials"
	}
	switch {
	case e.Is(ErrInvalidClient):
		return "check the app's client id and secret in the Telenor developer dashboard" + end
	case e.Is(ErrInvalidGrant) && e.passwordGrant:
		return "check the system user's username and password in Min Bedrift" + end
	case e.Is(ErrInvalidGrant):
		return "check the system user's credentials (Min Bedrift), or restart the authorization flow"
	case e.Is(ErrAccessDenied):
		return "the user declined; offer them a way to try again"
	case e.Is(ErrRateLimited):
		return "slow down and retry later"
	}
	return ""
}

// Unwrap returns the underlying error.
func (e *AuthError) Unwrap() error { return e.Err }

// Is makes errors.Is match the sentinels this error stands for.
func (e *AuthError) Is(target error) bool {
	switch target {
	case ErrAccessDenied:
		return e.Code == "access_denied"
	case ErrInvalidClient:
		// RFC 6749 §5.2: a token endpoint's 401 is a failed client
		// authentication, whatever its body (empty, text, HTML).
		return e.Code == "invalid_client" || e.GatewayCode == gateway.CodeInvalidClient ||
			(e.StatusCode == http.StatusUnauthorized && e.Code == "")
	case ErrInvalidGrant:
		return e.Code == "invalid_grant"
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// APIError is a non-2xx answer from one of Telenor's APIs, or a 2xx
// answer whose body is not what was asked for: a gateway error object in
// place of the resource, or not the logout's "OK!".
type APIError struct {
	// Method and Path identify the request (the path carries no secrets;
	// the query string is left out).
	Method, Path string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is Telenor's numeric gateway code, such as 40106, 42902 or
	// 4042000 (codes are not of fixed width); 0 when the body had none.
	Code int
	// CodeText is the code as sent when it is not a number, for example an
	// Apigee policy name such as "policies.ratelimit.SpikeArrestViolation".
	CodeText string
	// Message is the gateway's description of the error, if any.
	Message string
	// RequestID is the gateway's request or correlation id header, if any:
	// quote it to Telenor support.
	RequestID string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Attempts counts the requests sent up to this answer (retries, a
	// 401 replay and net/http's own resends); 0 or 1 means one.
	Attempts int
	// Body is the start of the raw response body (at most 4 KiB, an echoed token redacted).
	Body []byte
}

const maxErrorBody = 4 << 10 // of an error response's body, kept in APIError.Body

// oneLine makes server text (or a callback URL's, which anyone can craft)
// safe for one line of an error message or a log, capped at 200 runes,
// without any of secrets (redacted before the cut, which would leave part
// of one).
func oneLine(s string, secrets ...string) string { return wire.OneLine(wire.Redact(s, secrets), 200) }

// Error describes the failure with the status, gateway code and message.
// The server's text is put on one line, without control characters, and
// capped (the fields keep it as sent, cleaned but multi-line).
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "telenor: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.StatusCode/100 == 2 {
		b.WriteString(" but an unexpected body")
	}
	switch {
	case e.Code != 0:
		b.WriteString(" (code " + strconv.Itoa(e.Code) + ")")
	case e.CodeText != "":
		b.WriteString(" (code " + oneLine(e.CodeText) + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + oneLine(e.Message))
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + wire.OneLine(e.RequestID, wire.MaxRequestID) + "]")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrRateLimited) true for a 429.
func (e *APIError) Is(target error) bool {
	return target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests
}

// configError builds an error that matches ErrInvalidConfig and names the field.
func configError(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s", ErrInvalidConfig, field, fmt.Sprintf(format, args...))
}

// apiError turns a non-2xx answer, the last of attempts, into an
// *APIError. For an end user, a 401 that blames the token also matches
// ErrReauthenticate: only the user can get a new one.
func (s *session) apiError(req *http.Request, resp *http.Response, attempts int) error {
	ae := newAPIError(req, resp)
	ae.Attempts = attempts
	if s.cache.EndUser() && wire.RejectedToken(ae.StatusCode, ae.Code, ae.CodeText) {
		return fmt.Errorf("%w: %w", ErrReauthenticate, ae)
	}
	return ae
}

// newAPIError reads resp's body up to maxErrorRead (so the connection is
// reused) and parses it leniently.
func newAPIError(req *http.Request, resp *http.Response) *APIError {
	var body []byte
	var g wire.GatewayError
	if resp.Body != nil {
		body, g, _ = wire.ReadErrorBody(resp.Body, maxErrorBody, maxErrorRead)
	}
	ae := apiErrorOf(req.Method, req.URL.Path, resp.StatusCode, resp.Header, body, g, roundtrip.SentToken(req, resp))
	ae.RetryAfter, _ = backoff.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return ae
}

// apiErrorOf is the *APIError for an answer to a request that sent token (never echoed in it).
func apiErrorOf(method, path string, status int, h http.Header, body []byte, g wire.GatewayError, token string) *APIError {
	body, g, rid := wire.ScrubAPIError(token, body, g, wire.RequestID(h))
	ae := &APIError{Method: method, Path: path, StatusCode: status, Code: g.Code, Message: g.Message, RequestID: rid, Body: body}
	if g.Code == 0 {
		ae.CodeText = g.CodeText
	}
	return ae
}

// fillFromGateway adds what a token endpoint's error body says to ae;
// tokenError then makes ae's server text safe to log.
func fillFromGateway(ae *AuthError, body []byte) {
	if g, ok := wire.ReadGatewayError(bytes.NewReader(body)); ok {
		ae.GatewayCode = g.Code
		ae.Code = cmp.Or(ae.Code, g.OAuthError)
		ae.Description = cmp.Or(ae.Description, g.OAuthDescription, g.Message)
	}
}

// rejectsCredentials reports whether err is the token endpoint refusing the
// credentials themselves, which sending them again cannot change.
func rejectsCredentials(err error) bool {
	return errors.Is(err, ErrInvalidGrant) || errors.Is(err, ErrInvalidClient)
}

// retryableTokenError reports whether a failed token request may succeed if
// sent again: 429 spike arrest (quota when configured), 5xx, timeouts and
// connection failures; 4xx is final.
func (c *Client) retryableTokenError(err error) bool {
	var ae *AuthError
	if errors.As(err, &ae) {
		if ae.StatusCode == http.StatusTooManyRequests {
			return ae.GatewayCode != gateway.CodeQuotaExceeded || c.retry.RetryQuota
		}
		return ae.StatusCode >= 500
	}
	return errors.Is(err, ErrTokenTimeout) || isConnectionError(err)
}

// retryAfterOf returns the server's Retry-After carried by a token error.
func retryAfterOf(err error) time.Duration {
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}

// isConnectionError reports a failure before or while a response arrives,
// which a resend may fix; a body that cannot be understood is not one.
func isConnectionError(err error) bool {
	return !errors.Is(err, ErrMalformedResponse) && backoff.ConnectionError(err)
}
