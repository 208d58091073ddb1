package wire

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
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
	return fromMembers(m)
}

// ReadGatewayError is ParseGatewayError for a body read as a stream: it
// decodes the top-level members of the object one at a time and stops at
// the first error (of r, or of the JSON), keeping the members it had. So
// the code of {"errorCode":42901,"description":"<1 MiB>"} is found from
// the body's start however long the rest is, and a cut-short object still
// gives what came before the cut. Unlike ParseGatewayError it never
// looks past the object's end. The caller bounds r (io.LimitReader):
// memory use is bounded by what r yields.
func ReadGatewayError(r io.Reader) (GatewayError, bool) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return GatewayError{}, false
	}
	m := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		var v json.RawMessage
		if err != nil || !ok || dec.Decode(&v) != nil {
			break
		}
		m[key] = v // the last of duplicate keys wins, as in ParseGatewayError
	}
	return fromMembers(m)
}

// PeekGatewayError reads the gateway error at the start of *body (at most
// limit bytes) with ReadGatewayError and replaces *body with a reader
// that yields the whole body again, the bytes read first. Closing the
// new body closes the old one.
func PeekGatewayError(body *io.ReadCloser, limit int64) GatewayError {
	var head bytes.Buffer
	g, _ := ReadGatewayError(io.TeeReader(io.LimitReader(*body, limit), &head))
	*body = peekedBody{io.MultiReader(&head, *body), *body}
	return g
}

type peekedBody struct {
	io.Reader
	io.Closer
}

// ReadErrorBody reads at most limit bytes of an error body r and returns
// the first keep of them (nil when r is empty) with the gateway error
// found in them by ReadGatewayError. Reading on after the error object
// up to limit lets an HTTP/1.1 connection be reused after a long error
// page instead of closed.
func ReadErrorBody(r io.Reader, keep, limit int64) ([]byte, GatewayError, bool) {
	head := &headWriter{keep: int(keep)}
	tee := io.TeeReader(io.LimitReader(r, limit), head)
	g, ok := ReadGatewayError(tee)
	_, _ = io.Copy(io.Discard, tee)
	return head.b, g, ok
}

// headWriter keeps the first keep bytes written to it and drops the rest.
type headWriter struct {
	b    []byte
	keep int
}

func (h *headWriter) Write(p []byte) (int, error) {
	if n := min(len(p), h.keep-len(h.b)); n > 0 {
		h.b = append(h.b, p[:n]...)
	}
	return len(p), nil
}

// fromMembers extracts a GatewayError from a decoded object, looking into
// a nested "error" object when the top level has nothing.
func fromMembers(m map[string]json.RawMessage) (GatewayError, bool) {
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

// decodeObject decodes body as one JSON object (surrounding whitespace
// allowed). It rejects arrays, scalars, trailing data and invalid JSON.
func decodeObject(body []byte) (map[string]json.RawMessage, bool) {
	trimmed := trimJSONSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

// foldedKeys returns the keys of m equal to name under case folding: the
// exact key first (if present), then the others in sorted order, so the
// choice of value is deterministic.
func foldedKeys(m map[string]json.RawMessage, name string) []string {
	var keys []string
	for k := range m {
		if k != name && strings.EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if _, ok := m[name]; ok {
		keys = append([]string{name}, keys...)
	}
	return keys
}

// trimJSONSpace trims the four whitespace bytes JSON allows (RFC 8259 §2).
// bytes.TrimSpace would also strip \v, \f and Unicode spaces, letting
// invalid documents such as "{}\v" pass as objects.
func trimJSONSpace(b []byte) []byte {
	return bytes.Trim(b, " \t\r\n")
}
