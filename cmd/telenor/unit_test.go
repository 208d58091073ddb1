package main

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/telenor-go/telenor"
)

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// TestClassify covers the network failures a loopback test cannot cause
// (DNS, hostname mismatch, timeouts) and the SDK's typed errors.
func TestClassify(t *testing.T) {
	wrap := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://api.telenor.no/oauth/token", Err: err}
	}
	cases := []struct {
		err  error
		code int
		msg  string
	}{
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Name: "api.telenor.no", Err: "no such host", IsNotFound: true}}),
			exitNetwork, "cannot resolve api.telenor.no (no such host): check TELENOR_BASE_URL"},
		{wrap(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: &net.DNSError{Name: "proxy.corp", Err: "no such host"}}),
			exitNetwork, "cannot reach the proxy (lookup proxy.corp: no such host): check HTTPS_PROXY"},
		{wrap(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "api.telenor.no"}),
			exitNetwork, "TLS failed: x509: certificate is not valid for any names"},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 443}, Err: timeoutError{}}),
			exitNetwork, "timed out (10.0.0.1:443)"},
		{telenor.ErrTokenTimeout, exitNetwork, "the token endpoint did not answer in time"},
		{&telenor.AuthError{StatusCode: 401, Code: "invalid_client"}, exitAuth, "check TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET"},
		{&telenor.AuthError{StatusCode: 400, Code: "invalid_grant"}, exitAuth, "the system user in Min Bedrift"},
		{&telenor.AuthError{StatusCode: 502}, exitGateway, "token endpoint answered 502"},
		{&telenor.APIError{Method: "GET", Path: "/x", StatusCode: 503, Code: 50001}, exitGateway, "try again later"},
		{&telenor.APIError{Method: "GET", Path: "/x", StatusCode: 401, Code: 40106}, exitAuth, "rejected a fresh token"},
		{errors.New("disk full"), exitError, "disk full"},
	}
	for _, c := range cases {
		code, msg := classify(c.err)
		if code != c.code || !strings.Contains(msg, c.msg) || strings.HasPrefix(msg, "telenor: ") {
			t.Errorf("classify(%v) = %d, %q; want %d and %q", c.err, code, msg, c.code, c.msg)
		}
	}
}

func TestReportInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out strings.Builder
	if code := report(ctx, &out, false, context.Canceled); code != exitInterrupted || out.String() != "telenor: interrupted\n" {
		t.Errorf("report = %d, %q", code, out.String())
	}
}

func TestParseInterleaved(t *testing.T) {
	cases := []struct {
		args    []string
		pos     []string
		verbose bool
	}{
		{[]string{"/a", "-v"}, []string{"/a"}, true},
		{[]string{"-v", "/a", "/b"}, []string{"/a", "/b"}, true},
		{[]string{"--", "-v"}, []string{"-v"}, false},
		{[]string{"/a", "--", "-v"}, []string{"/a", "-v"}, false},
	}
	for _, c := range cases {
		var o options
		fs := newFlagSet("t")
		commonFlags(fs, &o)
		pos, err := parseInterleaved(fs, c.args)
		if err != nil || strings.Join(pos, " ") != strings.Join(c.pos, " ") || o.verbose != c.verbose {
			t.Errorf("%q: %q, verbose %v, %v; want %q, %v", c.args, pos, o.verbose, err, c.pos, c.verbose)
		}
	}
}

func TestAPIURL(t *testing.T) {
	const base = "https://api.telenor.no"
	for raw, want := range map[string]string{
		"/organizations/v1/organizations":            base + "/organizations/v1/organizations",
		"organizations/v1/organizations?a=b":         base + "/organizations/v1/organizations?a=b",
		"https://API.telenor.no:443/x%2Fy?q=1#frag":  base + "/x%2Fy?q=1",
		"/x?msisdn=4799885577&ascending=false":       base + "/x?msisdn=4799885577&ascending=false",
		"https://api.telenor.no/corporate-accounts/": base + "/corporate-accounts/",
	} {
		u, err := apiURL(base, raw)
		if err != nil || u.String() != want {
			t.Errorf("apiURL(%q) = %v, %v; want %s", raw, u, err, want)
		}
	}
	for _, raw := range []string{
		"https://evil.example/x", "//evil.example/x", "http://api.telenor.no/x", "https://api.telenor.no:8443/x",
		"https://user:pw@api.telenor.no/x", "https://api.telenor.no.evil.example/x",
	} {
		if u, err := apiURL(base, raw); err == nil {
			t.Errorf("apiURL(%q) = %v; want a refusal", raw, u)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("the refusal shows the URL's password: %v", err)
		}
	}
}

func TestSinceFlag(t *testing.T) {
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute} {
		var s sinceFlag
		if err := s.Set(in); err != nil || s.d != want {
			t.Errorf("Set(%q) = %v, %v; want %v", in, s.d, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1h", "0d", "xd", "1y", "99999999d"} {
		var s sinceFlag
		if err := s.Set(in); err == nil {
			t.Errorf("Set(%q) = %v; want an error", in, s.d)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 100_000: "100,000", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPrintable(t *testing.T) {
	if got := printable("Kari\x1b[2J\tNordmann\u0085"); got != "Kari\uFFFD[2J\uFFFDNordmann\uFFFD" {
		t.Errorf("printable = %q", got)
	}
	if got := printable("Snarøyveien 30"); got != "Snarøyveien 30" {
		t.Errorf("printable changed plain text: %q", got)
	}
}

func TestReadHidden(t *testing.T) {
	for in, want := range map[string]string{
		"secret\r":          "secret",
		"sø\x7fecret\n":     "secret",
		"wrong\x15secret\r": "secret",
		"\x7f\x7fsecret\r":  "secret",
		"\r":                "",
	} {
		got, err := readHidden(strings.NewReader(in))
		if err != nil || got != want {
			t.Errorf("readHidden(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	var f *failure
	if _, err := readHidden(strings.NewReader("abc\x03")); !errors.As(err, &f) || f.code != exitInterrupted {
		t.Errorf("Ctrl-C: %v", err)
	}
}
