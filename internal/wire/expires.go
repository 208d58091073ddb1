package wire

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// ExpiresInKind says how expires_in was sent, so callers can log odd
// gateway behaviour without failing the token request.
type ExpiresInKind int

// The ways expires_in can arrive.
const (
	ExpiresMissing ExpiresInKind = iota // absent, empty or JSON null
	ExpiresNumber                       // a JSON number
	ExpiresString                       // a JSON string holding a number
	ExpiresInvalid                      // anything else (junk, bool, object, …)
)

// String returns a short name for logs.
func (k ExpiresInKind) String() string {
	switch k {
	case ExpiresMissing:
		return "missing"
	case ExpiresNumber:
		return "number"
	case ExpiresString:
		return "string"
	case ExpiresInvalid:
		return "invalid"
	}
	return "ExpiresInKind(" + strconv.Itoa(int(k)) + ")"
}

// MaxExpiresIn bounds the magnitude of ParseExpiresIn's result (about 35,000
// years). It keeps seconds*time.Second far from int64 overflow while still
// being obviously "too big" to any sane caller-side cap.
const MaxExpiresIn int64 = 1 << 40

// ParseExpiresIn interprets the raw JSON value of expires_in.
//
// nil, empty or null is ExpiresMissing. A JSON number, or a JSON string
// holding a JSON number (surrounding spaces allowed), yields its value in
// seconds with kind ExpiresNumber or ExpiresString; fractions are truncated
// toward zero (3599.5 → 3599) and exponents are accepted ("1e3" → 1000).
// Negative values are returned as-is for the caller to judge; magnitudes
// beyond MaxExpiresIn are clamped to ±MaxExpiresIn. Anything else (junk
// strings, booleans, objects, arrays, malformed JSON) is ExpiresInvalid
// with 0 seconds.
func ParseExpiresIn(raw json.RawMessage) (seconds int64, kind ExpiresInKind) {
	raw = trimJSONSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, ExpiresMissing
	}
	kind, text := ExpiresNumber, string(raw)
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, ExpiresInvalid
		}
		kind, text = ExpiresString, strings.TrimSpace(s)
	}
	n, ok := parseJSONNumber(text)
	if !ok {
		return 0, ExpiresInvalid
	}
	return n, kind
}

// parseJSONNumber converts a JSON number literal to an int64, truncating any
// fraction and clamping to ±MaxExpiresIn. It rejects anything that is not
// strictly a JSON number, so Go-only syntax ("0x10", "Inf", "1_000") is
// refused even though strconv would accept it.
func parseJSONNumber(s string) (int64, bool) {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) || !json.Valid([]byte(s)) {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return min(max(n, -MaxExpiresIn), MaxExpiresIn), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	switch {
	case f >= float64(MaxExpiresIn):
		return MaxExpiresIn, true
	case f <= -float64(MaxExpiresIn):
		return -MaxExpiresIn, true
	}
	return int64(f), true
}
