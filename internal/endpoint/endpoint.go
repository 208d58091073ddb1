// Package endpoint checks the gateway and OAuth URLs and the credentials
// of a Client's configuration. Errors name the configuration field and
// never quote a credential, or a URL's user info or query, which may hold
// a password or a key.
package endpoint

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ParseBase accepts a gateway URL of scheme and host only. Every endpoint
// and API path is joined to it, so a path would silently move them all
// ("…/oauth" gave "/oauth/oauth/token"), and a query or fragment would be
// dropped or misplaced. example is a good value, for the error.
func ParseBase(raw, example string) (*url.URL, error) {
	u, err := Parse("BaseURL", raw)
	if err != nil {
		return nil, err
	}
	var extra []string
	if u.Path != "" && u.Path != "/" {
		extra = append(extra, "path")
	}
	if u.RawQuery != "" || u.ForceQuery {
		extra = append(extra, "query")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		extra = append(extra, "fragment")
	}
	if len(extra) > 0 {
		return nil, fmt.Errorf("BaseURL has a %s; give scheme and host only, such as %s (set single URLs with Endpoint)",
			strings.Join(extra, " and "), example)
	}
	return u, nil
}

// Resolve returns the URL of field: raw checked, or base joined with path
// when raw is empty.
func Resolve(base *url.URL, path, field, raw string) (string, error) {
	if raw == "" {
		return base.JoinPath(path).String(), nil
	}
	u, err := Parse(field, raw)
	switch {
	case err != nil:
		return "", err
	case u.Fragment != "":
		return "", fmt.Errorf("%s must not have a fragment (%q)", field, Redact(raw))
	}
	return u.String(), nil
}

// Parse accepts absolute https URLs, and http only to loopback hosts (a
// local fake gateway): credentials and tokens must not cross a network in
// clear text.
func Parse(field, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	switch {
	case err != nil: // its text (ue.Err's too) would quote raw, or a password in it
		return nil, fmt.Errorf("%s is not a URL (%q)", field, Redact(raw))
	case u.User != nil || strings.Contains(u.Opaque, "@"):
		return nil, fmt.Errorf("%s must not carry user info (%q); credentials go in ClientID and ClientSecret", field, Redact(raw))
	case u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return nil, fmt.Errorf("%s must be an absolute http(s) URL, got %q", field, Redact(raw))
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("%s uses plain http to non-loopback host %q; use https", field, u.Hostname())
	}
	return u, nil
}

// Redact returns raw for messages and printing, with its user info,
// query and fragment replaced, however malformed raw is. User info goes
// first: a password may hold '?' or '#'.
func Redact(raw string) string {
	if at := strings.LastIndexByte(raw, '@'); at >= 0 {
		from := 0
		if i := strings.Index(raw, "//"); i >= 0 && i < at {
			from = i + 2
		}
		raw = raw[:from] + "[REDACTED]" + raw[at:]
	}
	if q := strings.IndexAny(raw, "?#"); q >= 0 {
		raw = raw[:q+1] + "[REDACTED]"
	}
	return raw
}

// isLoopback reports whether host is localhost or a loopback IP literal.
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

// SameOrigin reports whether u has b's scheme and host (with default
// ports made explicit).
func SameOrigin(u, b *url.URL) bool {
	return u != nil && strings.EqualFold(u.Scheme, b.Scheme) &&
		strings.EqualFold(u.Hostname(), b.Hostname()) && Port(u) == Port(b)
}

// Port returns u's port, or the scheme's default port.
func Port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
