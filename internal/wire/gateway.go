package wire

import (
	"encoding/json"
	"strconv"
	"strings"
)

// GatewayError is what could be pulled out of an error body. Every string is
// trimmed, stripped of control characters and at most MaxText bytes long, so
// it is safe to put into error messages and logs.
type GatewayError struct {
	// Code is the numeric gateway code (40106, 4042000, 500100); 0 when
	// none was sent or it was not numeric.
	Code int
	// CodeText is the code as sent: the digits when numeric, or text such
	// as "policies.ratelimit.SpikeArrestViolation".
	CodeText string
	// Message is the first non-empty of description, message,
	// error_description, fault.faultstring, httpMessage and error.
	Message string
	// OAuthError is the RFC 6749 "error" member, e.g. "invalid_grant".
	OAuthError string
	// OAuthDescription is the RFC 6749 "error_description" member.
	OAuthDescription string
}

// Candidate member names, in order of preference. They are looked up
// case-insensitively (exact case first) because the gateway is inconsistent.
var (
	codeKeys    = []string{"errorCode", "code", "error_code"}
	messageKeys = []string{"description", "message", "error_description"}
)

// maxCodeDigits bounds numeric codes so that strconv.Atoi cannot overflow
// int on any platform.
const maxCodeDigits = 9

// ParseGatewayError decodes an error body leniently.
//
// It understands Telenor's shape ({"httpStatus":401,"httpMessage":…,
// "description":…,"errorCode":40106}), a plain {"code":…,"message":…},
// Apigee faults ({"fault":{"faultstring":…,"detail":{"errorcode":…}}}) and
// RFC 6749 errors ({"error":…,"error_description":…}). The code is taken
// from the first present, non-empty member of errorCode, code, error_code,
// fault.detail.errorcode; numbers and numeric strings set Code. If nothing
// is found at the top level and "error" is an object, that object is parsed
// the same way (a common nested shape).
//
// ok is true only when the body is a JSON object from which at least one
// field was recovered. HTML, text, empty or truncated bodies, arrays and
// objects with none of the known members give ok=false and a zero value;
// the function never panics.
func ParseGatewayError(body []byte) (GatewayError, bool) {
	m, ok := decodeObject(body)
	if !ok {
		return GatewayError{}, false
	}
	g := fromObject(m)
	if g == (GatewayError{}) {
		if nested, ok := objectMember(m, "error"); ok {
			g = fromObject(nested)
		}
	}
	return g, g != (GatewayError{})
}

// fromObject extracts the known members of one decoded JSON object.
func fromObject(m map[string]json.RawMessage) GatewayError {
	fault, _ := objectMember(m, "fault")
	detail, _ := objectMember(fault, "detail")
	g := GatewayError{
		OAuthError:       stringMember(m, "error"),
		OAuthDescription: stringMember(m, "error_description"),
	}
	g.Code, g.CodeText = firstCode(m, detail)
	g.Message = firstNonEmpty(
		stringMember(m, messageKeys...),
		stringMember(fault, "faultstring"),
		stringMember(m, "httpMessage"),
		g.OAuthError,
	)
	return g
}

// firstCode returns the first usable code among codeKeys in m, then
// errorcode in the Apigee fault detail.
func firstCode(m, detail map[string]json.RawMessage) (int, string) {
	for _, k := range codeKeys {
		if n, text := codeValue(member(m, k)); text != "" {
			return n, text
		}
	}
	return codeValue(member(detail, "errorcode"))
}

// codeValue interprets a code sent as a JSON number or string. Numeric
// text yields a non-zero int as well as the text; other types give nothing.
func codeValue(raw json.RawMessage) (int, string) {
	var text string
	switch {
	case len(raw) == 0:
		return 0, ""
	case raw[0] == '"':
		if json.Unmarshal(raw, &text) != nil {
			return 0, ""
		}
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		text = string(raw)
	default:
		return 0, ""
	}
	text = clean(text, MaxText)
	return numericCode(text), text
}

// numericCode returns s as an int when it is a run of at most
// maxCodeDigits ASCII digits, and 0 otherwise.
func numericCode(s string) int {
	if s == "" || len(s) > maxCodeDigits || strings.Trim(s, "0123456789") != "" {
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// member returns the value of the first of names found in m (exact key
// first, then case-insensitive), trimmed of whitespace; nil if none.
func member(m map[string]json.RawMessage, names ...string) json.RawMessage {
	for _, name := range names {
		if keys := foldedKeys(m, name); len(keys) > 0 {
			return trimJSONSpace(m[keys[0]])
		}
	}
	return nil
}

// stringMember returns the first of names in m that holds a non-empty JSON
// string, cleaned for display. Non-string values are skipped.
func stringMember(m map[string]json.RawMessage, names ...string) string {
	for _, name := range names {
		var s string
		if raw := member(m, name); json.Unmarshal(raw, &s) == nil {
			if s = clean(s, MaxText); s != "" {
				return s
			}
		}
	}
	return ""
}

// objectMember decodes member name of m as a JSON object.
func objectMember(m map[string]json.RawMessage, name string) (map[string]json.RawMessage, bool) {
	return decodeObject(member(m, name))
}

// firstNonEmpty returns the first non-empty string of ss.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
