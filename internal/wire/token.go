package wire

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// expiresInKey is the token response member that TokenFields splits off.
const expiresInKey = "expires_in"

// TokenFields splits a JSON token response into the raw expires_in value and
// a copy of the body without it.
//
// This lets a strict decoder (such as golang.org/x/oauth2's) parse the rest
// of the response while expires_in, which Telenor's gateway sends in several
// shapes, goes through ParseExpiresIn instead. Because encoding/json matches
// struct fields case-insensitively, every member whose name equals
// "expires_in" under Unicode case folding is removed; the returned value is
// the exact-case member if present, otherwise the first folded match in
// sorted key order.
//
// When a member is removed, the other members are re-encoded from a
// map[string]json.RawMessage: their values are unchanged in meaning, but key
// order, whitespace and duplicate keys (last one wins, as in encoding/json)
// are not preserved. When there is nothing to remove, body itself is
// returned. If body is not a single JSON object it returns (nil, body,
// false).
func TokenFields(body []byte) (expiresIn json.RawMessage, stripped []byte, ok bool) {
	m, ok := decodeObject(body)
	if !ok {
		return nil, body, false
	}
	keys := foldedKeys(m, expiresInKey)
	if len(keys) == 0 {
		return nil, body, true
	}
	expiresIn = m[keys[0]]
	for _, k := range keys {
		delete(m, k)
	}
	out, err := encodeObject(m)
	if err != nil {
		return nil, body, false
	}
	return expiresIn, out, true
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

// encodeObject re-encodes m without HTML escaping, so values such as
// "a<b" come back byte-identical instead of as "a\u003cb".
func encodeObject(m map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
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

// HasTokenOrError reports whether body, a JSON object, has a non-empty
// access_token or an OAuth error member: the least a token endpoint's
// answer must carry to mean anything.
func HasTokenOrError(body []byte) bool {
	m, ok := decodeObject(body)
	if !ok {
		return false
	}
	for _, k := range []string{"access_token", "error"} {
		var s string
		if json.Unmarshal(m[k], &s) == nil && s != "" {
			return true
		}
	}
	return false
}
