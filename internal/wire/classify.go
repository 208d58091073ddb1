package wire

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/telenor-go/telenor/internal/gateway"
)

// MaxRequestID caps a request id header copied into an error.
const MaxRequestID = 128

// RequestID returns the first request id header, made printable and
// capped. Telenor's header is not documented, so the common ones are
// tried, most specific first.
func RequestID(h http.Header) string {
	for _, k := range [...]string{
		"X-Request-Id", "X-Correlation-Id", "X-Apigee-Message-Id", "X-Transaction-Id", "Request-Id",
	} {
		if v := h.Get(k); v != "" {
			return Snippet([]byte(v), MaxRequestID)
		}
	}
	return ""
}

// RejectedToken reports a 401 that blames the access token: 40105, 40106,
// Apigee's access-token fault names, or no code at all. Other 401 codes
// (40103 no API product, 40104 wrong MSISDN) a new token cannot fix.
func RejectedToken(status, code int, codeText string) bool {
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

// Quota reports a 429 from the quota policy (42901, or Apigee's
// QuotaViolation), whose window is usually longer than a caller waits.
func (g GatewayError) Quota() bool {
	return g.Code == gateway.CodeQuotaExceeded || strings.Contains(g.CodeText, "QuotaViolation")
}

// TransientServerError reports a 5xx that may pass: not 501/505, and not
// the gateway's validation failures 50002 (acr) and 50003 (subscription),
// which answer the same every time.
func TransientServerError(status, code int) bool {
	switch {
	case status == http.StatusNotImplemented, status == http.StatusHTTPVersionNotSupported:
		return false
	case code == gateway.CodeACRInvalid, code == gateway.CodeSubscription:
		return false
	}
	return true
}

// ErrorObject reports whether the 2xx JSON body b is an error answer in
// place of the resource whose members are known: it has none of them (any
// case) and an error's: errorCode, error_code or httpStatus (Telenor), a
// fault object (Apigee), an error string or object (OAuth, nested), or a
// code with a message or description.
func ErrorObject(b []byte, known ...string) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal(b, &obj) == nil && looksLikeError(obj, known...)
}

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

func isString(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '"'
}
