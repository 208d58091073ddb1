package wire

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// redacted replaces a secret in server text.
const redacted = "[REDACTED]"

// Redact returns s with each non-empty secret in it replaced by
// "[REDACTED]", the longest first (a shorter one may be part of it): a
// server may echo what it was sent.
func Redact(s string, secrets []string) string {
	secrets = slices.Clone(secrets)
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// minPart is the shortest piece of a token that is blanked on its own: a
// cut can leave the start of an echoed token, and 8 characters of a random
// token say nothing another text would by chance.
const minPart = 8

// ScrubAPIError removes token from what an API error answer said (its
// body, gateway error and request id), since a gateway may echo the
// Bearer token it was sent and an error ends up in logs: whole, escaped
// as JSON or URL encoders do, and the start of it left where the body or
// a message was cut. A body whose decoded members held the token and
// whose kept head, escapes undone, still holds part of it is blanked whole.
func ScrubAPIError(token string, body []byte, g GatewayError, requestID string) ([]byte, GatewayError, string) {
	if token == "" {
		return body, g, requestID
	}
	forms := echoForms(token)
	scrub := func(s string) string { return redactCut(Redact(s, []string{token}), forms) }
	echoed := false
	for _, f := range []*string{&g.Message, &g.CodeText, &g.OAuthDescription} {
		if s := scrub(*f); s != *f {
			*f, echoed = s, true
		}
	}
	if len(body) > 0 {
		b := string(body)
		for _, form := range forms {
			b = strings.ReplaceAll(b, form, redacted)
		}
		if b = redactCut(b, forms); echoed && holdsRun(b, token) {
			b = redacted // the decoded text held it; the raw body in a form not known here
		}
		body = []byte(b)
	}
	if containsPart(requestID, token) { // cut to MaxRequestID, maybe mid-token
		requestID = redacted
	}
	return body, g, requestID
}

// echoForms are token as a body may hold it: as is, URL-encoded, and
// JSON-escaped the ways common encoders escape '/', '+' and '=' (PHP's
// "\/", .NET's "\u002B").
func echoForms(token string) []string {
	forms := []string{token, url.QueryEscape(token)}
	for _, r := range []*strings.Replacer{
		strings.NewReplacer("/", `\/`),
		strings.NewReplacer("+", `\u002B`, "=", `\u003D`),
		strings.NewReplacer("/", `\/`, "+", `\u002B`, "=", `\u003D`),
		strings.NewReplacer("/", `\u002F`, "+", `\u002B`, "=", `\u003D`),
		strings.NewReplacer("/", `\/`, "+", `\u002b`, "=", `\u003d`),
		strings.NewReplacer("/", `\u002f`, "+", `\u002b`, "=", `\u003d`),
	} {
		if f := r.Replace(token); !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// redactCut blanks the start of one of a token's echo forms (minPart
// bytes or more, a half escape included) that ends s, before an ellipsis
// if s has one: what a cut left of an echo.
func redactCut(s string, forms []string) string {
	head, tail := s, ""
	if h, ok := strings.CutSuffix(s, ellipsis); ok {
		head, tail = strings.TrimSpace(h), ellipsis
	}
	for _, form := range forms {
		for k := len(form) - 1; k >= minPart; k-- {
			if strings.HasSuffix(head, form[:k]) {
				return head[:len(head)-k] + redacted + tail
			}
		}
	}
	return s
}

// holdsRun reports whether s, its usual escapes undone, holds
// 2*minPart consecutive bytes of token: an echo in a form echoForms does
// not know.
func holdsRun(s, token string) bool {
	return containsPart(unescape.Replace(s), token)
}

// unescape undoes the escapes echoForms knows, in any mix and case.
var unescape = strings.NewReplacer(`\/`, "/", `\u002B`, "+", `\u002b`, "+", `\u003D`, "=", `\u003d`, "=",
	`\u002F`, "/", `\u002f`, "/", "%2B", "+", "%2b", "+", "%2F", "/", "%2f", "/", "%3D", "=", "%3d", "=")

// containsPart reports whether s holds minPart*2 consecutive bytes of
// token (all of it, if shorter).
func containsPart(s, token string) bool {
	n := min(len(token), 2*minPart)
	for i := 0; i+n <= len(token); i++ {
		if strings.Contains(s, token[i:i+n]) {
			return true
		}
	}
	return false
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
