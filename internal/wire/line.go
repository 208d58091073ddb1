package wire

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// OneLine returns server text fit for one line of an error message or a
// log: line breaks and tabs become spaces (a CR is dropped, so CRLF is one
// space), other control and format characters become U+FFFD, and the
// result is trimmed and cut to maxRunes runes, with "…" when cut. Nothing
// the server sends can then start a forged log line or drive a terminal.
func OneLine(s string, maxRunes int) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return -1
		case r == '\n', r == '\t':
			return ' '
		case r == utf8.RuneError, !unicode.IsPrint(r) && !unicode.Is(unicode.Zs, r):
			return utf8.RuneError
		}
		return r
	}, s))
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	cut := 0
	for range max(maxRunes, 0) {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return strings.TrimSpace(s[:cut]) + ellipsis
}
