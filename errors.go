package telenor

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/telenor-go/telenor/internal/backoff"
	"github.com/telenor-go/telenor/internal/gateway"
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

	// ErrReauthenticate: an end user's token has expired or was rejected,
	// and a UserSession cannot renew itself. Send the user through
	// AuthCodeURL again.
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
	// send the user through the authorization flow again. A SystemSession
	// that got it (or ErrInvalidClient) never sends a token request again:
	// make a new one after fixing the credentials.
	ErrInvalidGrant = errors.New("telenor: username/password or authorization code rejected")

	// ErrRateLimited: Telenor answered 429 (gateway codes 42901 quota, 42902
	// spike arrest). The typed error's RetryAfter says how long to wait when
	// the server said so.
	ErrRateLimited = errors.New("telenor: rate limited")

	// ErrTokenTimeout: the shared token fetch (retries included) did not
	// finish within Config.TokenTimeout, or one of its requests hit
	// HTTPClient.Timeout or a network timeout (retried like a 5xx). The
	// token endpoint is hanging or very slow; the session tries again on the
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

// Gateway codes of a 429 (APIError.Code, AuthError.GatewayCode): both
// match ErrRateLimited, but they call for different waits, so callers
// that retry on their own tell them apart. The SDK retries spike arrest
// itself; quota only with RetryPolicy.RetryQuota.
const (
	CodeQuotaExceeded = gateway.CodeQuotaExceeded // 42901, quota: back off for a longer window
	CodeSpikeArrest   = gateway.CodeSpikeArrest   // 42902, spike arrest: short back-off and retry
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
	// Attempts counts the token requests that ended in this answer,
	// retries included; 0 or 1 means one.
	Attempts int
	// Err is the underlying cause when there is one, such as ErrMissingCode.
	Err error

	// redirect is where a 3xx from the token endpoint pointed (scheme and
	// host only): token requests follow no redirect.
	redirect string
	// passwordGrant marks a rejection answered to a SystemSession, which
	// never sends the rejected credentials again.
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

// sessionEnded is the hint's end for a system session whose credentials
// were rejected (see PasswordGrant).
const sessionEnded = "; this session sends no more token requests: make a new session (Client.PasswordGrant) after fixing the credentials"

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
	// Attempts counts the requests the SDK sent that ended in this
	// answer, retries and a 401 replay included; 0 or 1 means one.
	Attempts int
	// Body is the start of the raw response body (at most 4 KiB).
	Body []byte
}

// maxErrorBody is how much of an error response's body an APIError keeps.
const maxErrorBody = 4 << 10

// maxErrorText caps each piece of server text in an error message.
const maxErrorText = 200

// oneLine makes server text (or a callback URL's, which anyone can craft)
// safe for one line of an error message or a log: printable, one line,
// capped.
func oneLine(s string) string { return wire.OneLine(s, maxErrorText) }

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
		b.WriteString(" [request id " + wire.OneLine(e.RequestID, maxRequestID) + "]")
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

// Building typed errors from answers.

// maxRequestID caps a request id header copied into an error.
const maxRequestID = 128

// apiError turns a non-2xx answer, the last of attempts, into an
// *APIError. For an end user, a 401 that blames the token also matches
// ErrReauthenticate: only the user can get a new one.
func (s *session) apiError(req *http.Request, resp *http.Response, attempts int) error {
	ae := newAPIError(req.Method, req.URL.Path, resp)
	ae.Attempts = attempts
	if s.cache.endUser() && rejectedToken(ae.StatusCode, ae.Code, ae.CodeText) {
		return fmt.Errorf("%w: %w", ErrReauthenticate, ae)
	}
	return ae
}

// newAPIError reads resp's body (see maxErrorRead), keeps its first
// maxErrorBody bytes and parses it leniently as a stream (Telenor's JSON,
// Apigee faults, OAuth errors; HTML or text keep only the raw body).
func newAPIError(method, path string, resp *http.Response) *APIError {
	ae := &APIError{Method: method, Path: path, StatusCode: resp.StatusCode}
	if resp.Body != nil {
		var g wire.GatewayError
		ae.Body, g, _ = wire.ReadErrorBody(resp.Body, maxErrorBody, maxErrorRead)
		ae.setGateway(g)
	}
	ae.RetryAfter, _ = backoff.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	ae.RequestID = requestID(resp.Header)
	return ae
}

// setGateway copies what the gateway's error body said into ae.
func (ae *APIError) setGateway(g wire.GatewayError) {
	ae.Code, ae.Message = g.Code, g.Message
	if g.Code == 0 {
		ae.CodeText = g.CodeText
	}
}

// requestID returns the first request id header, made printable and
// capped. Telenor's header is not documented, so the common ones are
// tried, most specific first.
func requestID(h http.Header) string {
	for _, k := range [...]string{
		"X-Request-Id", "X-Correlation-Id", "X-Apigee-Message-Id", "X-Transaction-Id", "Request-Id",
	} {
		if v := h.Get(k); v != "" {
			return wire.Snippet([]byte(v), maxRequestID)
		}
	}
	return ""
}

// fillFromGateway adds what a lenient parse of a token endpoint's error
// body finds (Telenor's gateway code, an Apigee fault, OAuth fields) to
// ae, and makes ae's server text safe to log. The parse is a stream, so
// a code at the start of a body cut at the size limit is still found.
func fillFromGateway(ae *AuthError, body []byte) {
	if g, ok := wire.ReadGatewayError(bytes.NewReader(body)); ok {
		ae.GatewayCode = g.Code
		ae.Code = cmp.Or(ae.Code, g.OAuthError)
		ae.Description = cmp.Or(ae.Description, g.OAuthDescription, g.Message)
	}
	ae.Code, ae.Description = oneLine(ae.Code), oneLine(ae.Description)
}

// looksLikeError reports whether obj, a 2xx body's JSON object, is an
// error answer in place of the resource: it has none of the resource's
// members (known, any case) and an error's: errorCode, error_code or
// httpStatus (Telenor), a fault object (Apigee), an error string or
// object (OAuth, nested), or a code with a message or description.
func looksLikeError(obj map[string]json.RawMessage, known ...string) bool {
	sig, code, text := false, false, false
	for k, v := range obj {
		for _, name := range known {
			if strings.EqualFold(k, name) {
				return false
			}
		}
		switch strings.ToLower(k) {
		case "errorcode", "error_code", "httpstatus":
			sig = true
		case "fault":
			sig = sig || isObject(v)
		case "error":
			sig = sig || isObject(v) || isString(v)
		case "code":
			code = true
		case "message", "description", "error_description":
			text = true
		}
	}
	return sig || (code && text)
}

// errorObject reports whether the 2xx JSON body b is an error object
// rather than the resource whose members are known.
func errorObject(b []byte, known ...string) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal(b, &obj) == nil && looksLikeError(obj, known...)
}

func isString(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '"'
}

// Classifying failures.

// rejectedToken reports a 401 that blames the access token: 40105, 40106,
// Apigee's access-token fault names, or no code at all. Other 401 codes
// (40103 no API product, 40104 wrong MSISDN) a new token cannot fix.
func rejectedToken(status, code int, codeText string) bool {
	if status != http.StatusUnauthorized {
		return false
	}
	switch {
	case code == gateway.CodeTokenInvalid, code == gateway.CodeTokenExpired:
		return true
	case code != 0:
		return false
	}
	t := strings.ToLower(codeText)
	return t == "" || strings.Contains(t, "access_token") || strings.Contains(t, "accesstoken")
}

// rejectsCredentials reports whether err is the token endpoint refusing the
// credentials themselves, which sending them again cannot change.
func rejectsCredentials(err error) bool {
	return errors.Is(err, ErrInvalidGrant) || errors.Is(err, ErrInvalidClient)
}

// isQuota reports a 429 from the quota policy (42901, or Apigee's
// QuotaViolation), whose window is usually longer than a caller waits.
func isQuota(g wire.GatewayError) bool {
	return g.Code == gateway.CodeQuotaExceeded || strings.Contains(g.CodeText, "QuotaViolation")
}

// transientServerError reports a 5xx that may pass: not 501/505, and not
// the gateway's validation failures 50002 (acr) and 50003 (subscription),
// which answer the same every time.
func transientServerError(status, code int) bool {
	switch {
	case status == http.StatusNotImplemented, status == http.StatusHTTPVersionNotSupported:
		return false
	case code == gateway.CodeACRInvalid, code == gateway.CodeSubscription:
		return false
	}
	return true
}

// retryableTokenError reports whether a failed token request may succeed if
// sent again: 429 spike arrest (and quota when configured), 5xx, a
// request's own timeout, and connection failures. Everything else, 4xx
// first, is final.
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

// retryAfterOf returns the server's Retry-After carried by a typed error.
func retryAfterOf(err error) time.Duration {
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	var pe *APIError
	if errors.As(err, &pe) {
		return pe.RetryAfter
	}
	return 0
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
		errors.Is(err, syscall.EPIPE) || errors.As(err, &ne) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// isAuthError reports the token endpoint's own verdict (an *AuthError).
func isAuthError(err error) bool {
	var ae *AuthError
	return errors.As(err, &ae)
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
