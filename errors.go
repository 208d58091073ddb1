package telenor

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/wire"
)

// Sentinel errors for errors.Is. The typed errors below implement Is so that,
// for example, errors.Is(err, ErrAccessDenied) is true for an *AuthError whose
// Code is "access_denied".
var (
	// ErrAccessDenied: the end user refused consent on Telenor's page.
	// Show the user a page that lets them try again; do not retry on their behalf.
	ErrAccessDenied = errors.New("telenor: the user denied consent")

	// ErrStateMismatch: the callback's state is missing or is not the one this
	// browser was given. The code was not exchanged. Treat it as a forged or
	// replayed callback and start the flow again.
	ErrStateMismatch = errors.New("telenor: callback state does not match the expected state")

	// ErrReauthenticate: a user token has expired or was rejected, and a user
	// Session cannot renew itself. Send the user through AuthCodeURL again.
	ErrReauthenticate = errors.New("telenor: the user token has expired or was rejected; the user must log in again")

	// ErrInvalidConfig: the Config (or a call's arguments) cannot work. The
	// message names the field. Fix the configuration; retrying will not help.
	ErrInvalidConfig = errors.New("telenor: invalid configuration")

	// ErrInvalidClient: the token endpoint rejected the app's client id or
	// secret (OAuth "invalid_client", Telenor's gateway code 40108, or a 401
	// naming no other OAuth error). Check the app's credentials in the
	// developer dashboard.
	ErrInvalidClient = errors.New("telenor: client id or client secret rejected")

	// ErrInvalidGrant: the token endpoint rejected the grant itself: a wrong
	// system-user username or password, or a used or expired authorization
	// code (OAuth "invalid_grant"). Check the system user in Min Bedrift, or
	// send the user through the authorization flow again. A password-grant
	// Session that got it (or ErrInvalidClient) never sends a token request
	// again: make a new one after fixing the credentials.
	ErrInvalidGrant = errors.New("telenor: username/password or authorization code rejected")

	// ErrRateLimited: Telenor answered 429 (gateway codes 42901 quota, 42902
	// spike arrest). The typed error's RetryAfter says how long to wait when
	// the server said so.
	ErrRateLimited = errors.New("telenor: rate limited")

	// ErrTokenTimeout: the shared token fetch (retries included) did not
	// finish within Config.TokenTimeout, or one of its requests hit
	// HTTPClient.Timeout or a network timeout (retried like a 5xx). The
	// token endpoint is hanging or very slow; the Session tries again on the
	// next call after a backoff. It never matches context.DeadlineExceeded,
	// which is reserved for the caller's own context.
	ErrTokenTimeout = errors.New("telenor: token request timed out")

	// ErrMalformedResponse: a response could not be understood (bad JSON,
	// wrong content type, missing access_token, body over the size limit).
	ErrMalformedResponse = errors.New("telenor: malformed response")

	// ErrListChanged: a paged listing (Accounts, MobileSubscriptions)
	// changed while it was being read: the envelope's total of items (or
	// of pages) differs from one page to the next. Paging is by offset
	// (page × pageSize), so an item added or removed before the current
	// offset shifts the rest: items already yielded may lack some that
	// exist or repeat others. Range over the listing again (each range
	// starts at the first page), or key what you collected by MSISDN or
	// account id. The iterator yields this error instead of the changed
	// page's items and stops.
	ErrListChanged = errors.New("telenor: the list changed while it was being paged")
)

// Gateway codes from Telenor's shared error list that the SDK acts on.
const (
	CodeTokenInvalid   = 40105   // access token invalid: get a new token
	CodeTokenExpired   = 40106   // access token expired: get a new token
	CodeInvalidClient  = 40108   // wrong client id/secret in Basic auth
	CodeInvalidScope   = 40301   // invalid scope
	CodeQuotaExceeded  = 42901   // quota: back off for a longer window
	CodeSpikeArrest    = 42902   // spike arrest: short back-off and retry
	CodeBackendMissing = 4042000 // path or method not found on the back end
)

// AuthError is a failure of the OAuth side of Telenor's gateway: the token
// endpoint refused a grant, or the authorization callback carried an error.
// Its text fields hold the server's words made safe to log: one printable
// line, capped. No value reachable from it holds a secret: it keeps no
// request, response or *oauth2.RetrieveError.
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
	// Err is the underlying cause when there is one, such as ErrMissingCode.
	Err error

	// redirect is where a 3xx from the token endpoint pointed (scheme and
	// host only): token requests follow no redirect.
	redirect string
	// passwordGrant marks a rejection answered to a password-grant
	// Session, which never sends the rejected credentials again.
	passwordGrant bool
}

// Error says what was rejected and what to do about it. It never contains
// credentials: only the status, codes and the server's description.
func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("telenor: ")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "token endpoint answered %d", e.StatusCode)
		if e.redirect != "" {
			fmt.Fprintf(&b, " (a redirect to %s, not followed: token requests carry credentials)", callbackText(e.redirect))
		}
	} else {
		b.WriteString("authorization failed")
	}
	// Sanitised again here: an AuthError may be built by hand.
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", callbackText(e.Code))
	}
	if e.GatewayCode != 0 {
		fmt.Fprintf(&b, " (code %d)", e.GatewayCode)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", callbackText(e.Description))
	}
	if hint := e.hint(); hint != "" {
		b.WriteString("; ")
		b.WriteString(hint)
	}
	return b.String()
}

// sessionEnded is the hint's end for a password-grant Session whose
// credentials were rejected (see PasswordGrant).
const sessionEnded = "; this Session sends no more token requests: make a new session (Client.PasswordGrant) after fixing the credentials"

func (e *AuthError) hint() string {
	switch {
	case e.Is(ErrInvalidClient) && e.passwordGrant:
		return "check the app's client id and secret in the Telenor developer dashboard" + sessionEnded
	case e.Is(ErrInvalidGrant) && e.passwordGrant:
		return "check the system user's username and password in Min Bedrift" + sessionEnded
	case e.Is(ErrInvalidClient):
		return "check the app's client id and secret in the Telenor developer dashboard"
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
		return e.Code == "invalid_client" || e.GatewayCode == CodeInvalidClient ||
			(e.StatusCode == http.StatusUnauthorized && e.Code == "")
	case ErrInvalidGrant:
		return e.Code == "invalid_grant"
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// Temporary reports whether trying again later may succeed: 429, 5xx.
func (e *AuthError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
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
	// Body is the start of the raw response body (at most MaxErrorBody bytes).
	Body []byte
}

// MaxErrorBody is how much of an error response's body an error keeps.
const MaxErrorBody = 4 << 10

// maxAPIErrorText caps each piece of server text in an error message.
const maxAPIErrorText = 200

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
		b.WriteString(" (code " + wire.OneLine(e.CodeText, maxAPIErrorText) + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + wire.OneLine(e.Message, maxAPIErrorText))
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + wire.OneLine(e.RequestID, maxRequestID) + "]")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrRateLimited) true for a 429.
func (e *APIError) Is(target error) bool {
	return target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests
}

// Temporary reports whether the same request may succeed later: 429, 5xx.
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// configError builds an error that matches ErrInvalidConfig and names the field.
func configError(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s", ErrInvalidConfig, field, fmt.Sprintf(format, args...))
}

// retrieveError returns the *oauth2.RetrieveError inside err, if any.
func retrieveError(err error) (*oauth2.RetrieveError, bool) {
	var re *oauth2.RetrieveError
	ok := errors.As(err, &re)
	return re, ok
}
