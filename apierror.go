package telenor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/telenor-go/telenor/internal/backoff"
	"github.com/telenor-go/telenor/internal/wire"
)

// maxRequestID caps a request id header copied into an error.
const maxRequestID = 128

// apiError turns a non-2xx answer into an *APIError. On a user Session, a
// 401 that blames the token also matches ErrReauthenticate: only the user
// can get a new one.
func (s *Session) apiError(req *http.Request, resp *http.Response) error {
	ae := newAPIError(req.Method, req.URL.Path, resp)
	if s.kind == sessionUser && rejectedToken(ae.StatusCode, ae.Code, ae.CodeText) {
		return fmt.Errorf("%w: %w", ErrReauthenticate, ae)
	}
	return ae
}

// newAPIError reads resp's body (see maxErrorRead), keeps its first
// MaxErrorBody bytes and parses it leniently as a stream (Telenor's JSON,
// Apigee faults, OAuth errors; HTML or text keep only the raw body).
func newAPIError(method, path string, resp *http.Response) *APIError {
	ae := &APIError{Method: method, Path: path, StatusCode: resp.StatusCode}
	if resp.Body != nil {
		var g wire.GatewayError
		ae.Body, g, _ = wire.ReadErrorBody(resp.Body, MaxErrorBody, maxErrorRead)
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
