package wire

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxText caps every string ParseGatewayError returns, so a gateway that
// echoes a huge body cannot bloat error messages or logs.
const MaxText = 512

// ellipsis marks text that was cut.
const ellipsis = "…"

// Snippet returns the first n bytes of body as a printable, valid UTF-8
// string, with "…" appended when body was longer. It is meant for error
// messages that "keep the start of the body" when the body could not be
// understood. The cut never splits a UTF-8 sequence (so the result may keep
// slightly fewer than n bytes of body); invalid UTF-8 and control characters
// other than \n and \t become U+FFFD, and \r is dropped. n <= 0 keeps
// nothing.
func Snippet(body []byte, n int) string {
	n = max(n, 0)
	if len(body) <= n {
		return printable(string(body))
	}
	return printable(string(body[:runeCut(body, n)])) + ellipsis
}

// runeCut returns the largest i <= n such that body[:i] does not end in the
// middle of a UTF-8 sequence that body completes after n.
func runeCut(body []byte, n int) int {
	for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(body[i]) {
			return i
		}
	}
	return n
}

// printable replaces invalid UTF-8 and non-printable runes with U+FFFD,
// keeping \n, \t and Unicode spaces, and drops \r (so CRLF reads as LF and
// a lone CR cannot rewrite a terminal line).
func printable(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // invalid bytes arrive as utf8.RuneError
		switch {
		case r == '\r':
		case r == '\n', r == '\t', unicode.IsPrint(r), unicode.Is(unicode.Zs, r):
			b.WriteRune(r)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String()
}

// clean trims s, makes it printable and caps it at limit bytes including a
// trailing "…" when cut, without splitting a rune.
func clean(s string, limit int) string {
	s = strings.TrimSpace(printable(s))
	if len(s) <= limit {
		return s
	}
	cut := runeCut([]byte(s), max(limit-len(ellipsis), 0))
	return strings.TrimSpace(s[:cut]) + ellipsis
}
