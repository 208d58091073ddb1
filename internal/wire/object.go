package wire

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

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
