package wire

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redact returns s with each non-empty secret in it replaced by
// "[REDACTED]", the longest first (a shorter one may be part of it): a
// server may echo what it was sent.
func Redact(s string, secrets []string) string {
	secrets = slices.Clone(secrets)
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[REDACTED]")
		}
	}
	return s
}

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

// ScrubAPIError removes token from what an API error answer said (its
// body, gateway error and request id), since a gateway may echo the
// Bearer token it was sent and an error ends up in logs.
func ScrubAPIError(token string, body []byte, g GatewayError, requestID string) ([]byte, GatewayError, string) {
	if token == "" {
		return body, g, requestID
	}
	t := []string{token}
	if bytes.Contains(body, []byte(token)) {
		body = bytes.ReplaceAll(body, []byte(token), []byte("[REDACTED]"))
	}
	g.Message, g.CodeText, g.OAuthDescription = Redact(g.Message, t), Redact(g.CodeText, t), Redact(g.OAuthDescription, t)
	if strings.Contains(requestID, token[:min(len(token), 16)]) { // cut to MaxRequestID, maybe mid-token
		requestID = "[REDACTED]"
	}
	return body, g, requestID
}

// BearerToken is the token of req's "Authorization: Bearer" header, "" if
// it has none (or req is nil).
func BearerToken(req *http.Request) string {
	if req == nil {
		return ""
	}
	tok, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	return tok
}
