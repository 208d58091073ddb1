package backoff

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxParsedRetryAfter clamps absurd Retry-After values. It keeps the
// arithmetic overflow-free; Policy.Wait applies the real, much smaller, cap.
const MaxParsedRetryAfter = 24 * time.Hour

// ParseRetryAfter parses an HTTP Retry-After header value (RFC 9110 §10.2.3):
// either delta-seconds ("120") or an HTTP-date in any format accepted by
// http.ParseTime. Surrounding whitespace is ignored.
//
// It returns (d, true) with 0 <= d <= MaxParsedRetryAfter; a date in the
// past yields 0. Empty, malformed or negative values yield (0, false), so
// callers can fall back to their own backoff.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		return parseSeconds(v), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return clampRetryAfter(t.Sub(now)), true
}

// isDigits reports whether s is a non-empty run of ASCII digits, which is
// the only form delta-seconds may take (no sign, no fraction).
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseSeconds converts an all-digit string to a clamped duration. Values
// too large for uint64 are by definition beyond the clamp.
func parseSeconds(s string) time.Duration {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > uint64(MaxParsedRetryAfter/time.Second) {
		return MaxParsedRetryAfter
	}
	return time.Duration(n) * time.Second
}

// clampRetryAfter bounds d to [0, MaxParsedRetryAfter].
func clampRetryAfter(d time.Duration) time.Duration {
	return min(max(d, 0), MaxParsedRetryAfter)
}
