package main

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/telenor-go/telenor/telenortest"
)

// TestExitCodes runs the binary into each kind of failure and checks the
// documented exit status, that stderr is one line saying what to fix,
// and what reached the gateway.
func TestExitCodes(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(g *gateway) []string // returns the environment
		args   []string
		code   int
		stderr string // a part of the one line on stderr
		// tokenRequests is how many token requests reached the gateway;
		// -1 leaves it unchecked.
		tokenRequests int
	}{
		{"no command", nil, nil, exitUsage, "no command given", 0},
		{"unknown command", nil, []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`, 0},
		{"unknown flag", nil, []string{"orgs", "-x"}, exitUsage, "flag provided but not defined: -x", 0},
		{"bad format", nil, []string{"orgs", "-format", "xml"}, exitUsage, "want one of table, csv, json, ndjson", 0},
		{"argument to a list", nil, []string{"orgs", "extra"}, exitUsage, `orgs takes no arguments, got "extra"`, 0},
		{"bad product id", nil, []string{"subscriptions", "-product-id", "abc"}, exitUsage, "want digits", 0},
		{"bad since", nil, []string{"subscriptions", "-since", "soon"}, exitUsage, `invalid value "soon" for flag -since`, 0},
		{"api without path", nil, []string{"api"}, exitUsage, "api takes one PATH", 0},
		{"missing client id", func(g *gateway) []string { return g.with(envClientID + "=") },
			[]string{"check"}, exitUsage, "TELENOR_CLIENT_ID is not set", 0},
		{"missing password off a terminal", func(g *gateway) []string { return g.with(envPassword + "=") },
			[]string{"orgs"}, exitUsage, "TELENOR_PASSWORD is not set: set it, or run on a terminal", 0},
		{"base URL not https", func(g *gateway) []string { return g.with(envBaseURL + "=http://api.telenor.no") },
			[]string{"check"}, exitUsage, "plain http to non-loopback host", 0},
		{"wrong client secret", func(g *gateway) []string { return g.with(envClientSecret + "=wrong-secret-1") },
			[]string{"check"}, exitAuth, "client id or secret (401 invalid_client): check TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET", 1},
		// A rejected password is sent once: repeating it locks the system user out.
		{"wrong password", func(g *gateway) []string { return g.with(envPassword + "=wrong-password-1") },
			[]string{"subscriptions"}, exitAuth, "username or password (400 invalid_grant): check TELENOR_USERNAME and TELENOR_PASSWORD against the system user in Min Bedrift", 1},
		{"no API product", func(g *gateway) []string {
			g.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 403, Code: 40301})
			return g.env
		}, []string{"orgs"}, exitAuth, "403 Forbidden (code 40301)", 1},
		{"gateway failing", func(g *gateway) []string {
			g.Fail(telenortest.MobileSubscriptionsPath, 3, telenortest.Fault{Status: 500, Code: 50001})
			return g.env
		}, []string{"subscriptions", "-format", "csv"}, exitGateway, "500 Internal Server Error (code 50001)", 1},
		{"quota", func(g *gateway) []string {
			g.Fail(telenortest.AgreementsPath, 1, telenortest.Fault{Status: 429, Code: 42901})
			return g.env
		}, []string{"agreements"}, exitGateway, "quota or rate limit", 1},
		{"token endpoint failing", func(g *gateway) []string {
			g.Fail(telenortest.PasswordTokenPath, 3, telenortest.Fault{Status: 503, Shape: telenortest.ShapeHTML})
			return g.env
		}, []string{"token"}, exitGateway, "token endpoint answered 503", 3},
		{"HTML instead of JSON", func(g *gateway) []string {
			g.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 200, Body: "<html>login</html>", ContentType: "text/html"})
			return g.env
		}, []string{"orgs"}, exitGateway, "is not JSON", 1},
		{"connection reset", func(g *gateway) []string {
			g.Fail(telenortest.PasswordTokenPath, 3, telenortest.Fault{Reset: true})
			return g.env
		}, []string{"check"}, exitNetwork, "token: connection reset", 3},
		{"connection refused", func(g *gateway) []string { return g.with(envBaseURL + "=http://" + closedPort(t)) },
			[]string{"check"}, exitNetwork, "token: connection refused", 0},
		{"TLS", func(g *gateway) []string {
			tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
			tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake fails on purpose
			tlsSrv.StartTLS()                                   // with a certificate no one trusts
			t.Cleanup(tlsSrv.Close)
			return g.with(envBaseURL + "=" + tlsSrv.URL)
		}, []string{"check"}, exitNetwork, "TLS failed: tls: failed to verify certificate: x509:", 0},
		{"proxy unreachable", func(g *gateway) []string {
			return g.with(envBaseURL+"=https://api.telenor.test", "HTTPS_PROXY=http://proxyuser:proxy-S3CRET@"+closedPort(t))
		}, []string{"check"}, exitNetwork, "token: cannot reach the proxy (dial tcp 127.0.0.1:", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t)
			env := g.env
			if c.setup != nil {
				env = c.setup(g)
			}
			r := runCLI(t, env, "", c.args...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, c.code, r.stderr)
			}
			if !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("stderr %q does not say %q", r.stderr, c.stderr)
			}
			if n := strings.Count(r.stderr, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want one:\n%s", n, r.stderr)
			}
			if len(c.args) > 0 && lookup(c.args[0]) != nil && c.args[0] != "check" && r.stdout != "" {
				t.Errorf("a failed %s printed %q: a header alone would look like an empty list", c.args[0], r.stdout)
			}
			if strings.Contains(r.stdout+r.stderr, "proxy-S3CRET") {
				t.Errorf("the output shows the proxy's password:\n%s%s", r.stdout, r.stderr)
			}
			if got := g.TokenRequests(); c.tokenRequests >= 0 && got != c.tokenRequests {
				t.Errorf("%d token requests reached the gateway, want %d", got, c.tokenRequests)
			}
		})
	}
}

// TestVerboseDetails: -v adds the SDK's full error (and its debug log)
// after the one line.
func TestVerboseDetails(t *testing.T) {
	g := newGateway(t)
	g.Fail(telenortest.PasswordTokenPath, 3, telenortest.Fault{Reset: true})
	r := runCLI(t, g.env, "", "check", "-v")
	if r.code != exitNetwork {
		t.Fatalf("exit %d, want %d", r.code, exitNetwork)
	}
	if !strings.Contains(r.stderr, "telenor: details: token request failed: Post") {
		t.Errorf("-v gives no details:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, `msg="telenor: retrying password grant"`) {
		t.Errorf("-v shows no SDK debug log:\n%s", r.stderr)
	}
}

// TestCheckTokenPath404: when the password grant's path answers 404,
// check says which path was tried and, if the SDK fell back to
// /oauth/v2/token, that it did; otherwise that the base URL is wrong.
func TestCheckTokenPath404(t *testing.T) {
	g := newGateway(t)
	g.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 404, Shape: telenortest.ShapeApigee})
	r := runCLI(t, g.env, "", "check")
	if g.Requests(telenortest.TokenPath) > 0 { // the SDK falls back after a 404
		if r.code != exitOK || !strings.Contains(r.stdout,
			"ok  token: /oauth/token answered 404 Not Found; the SDK fell back to /oauth/v2/token") {
			t.Errorf("exit %d; check does not report the fallback:\n%s%s", r.code, r.stdout, r.stderr)
		}
		return
	}
	if r.code != exitGateway || !strings.Contains(r.stderr, "token: the token endpoint answered 404 Not Found: check TELENOR_BASE_URL") {
		t.Errorf("exit %d, want %d and the 404 explained:\n%s", r.code, exitGateway, r.stderr)
	}
}

// TestAPIRefusesOtherHosts: an absolute URL on another host (or port,
// or scheme) is refused before any request: the token goes nowhere else.
func TestAPIRefusesOtherHosts(t *testing.T) {
	var hits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	g := newGateway(t)
	for _, target := range []string{
		other.URL + "/organizations/v1/organizations",
		"//" + strings.TrimPrefix(other.URL, "http://") + "/x",
		strings.Replace(g.URL, "http://", "https://", 1) + "/x",
		"http://user@" + strings.TrimPrefix(g.URL, "http://") + "/x",
	} {
		r := runCLI(t, g.env, "", "api", target)
		if r.code != exitUsage || !strings.Contains(r.stderr, "api: refusing") {
			t.Errorf("api %s: exit %d, want %d and a refusal\n%s", target, r.code, exitUsage, r.stderr)
		}
	}
	if hits.Load() != 0 || g.TokenRequests() != 0 {
		t.Errorf("%d requests to the other host and %d token requests, want none", hits.Load(), g.TokenRequests())
	}
	// The gateway's own URL is fine.
	out := mustRun(t, g.env, "api", g.URL+telenortest.OrganizationsPath)
	if !strings.Contains(out, "Fjordtest AS") {
		t.Errorf("api with the gateway's absolute URL printed %q", out)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestWriteFailure: output that cannot be written (a full disk) is an
// error with status 1, not a silent success.
func TestWriteFailure(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full on this system")
	}
	defer full.Close()
	g := newGateway(t, telenortest.WithCompanyData(5, 5000))
	cmd := telenorCmd(g.env, "subscriptions", "-format", "csv")
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = full, &stderr
	err = cmd.Run()
	if cmd.ProcessState.ExitCode() != exitError || !strings.Contains(stderr.String(), "no space left on device") {
		t.Errorf("exit %v, stderr %q; want status %d and the write error", err, stderr.String(), exitError)
	}
}

// TestCheckNamesTheProxy: check says which proxy the environment routes
// the gateway through, without the proxy's credentials.
func TestCheckNamesTheProxy(t *testing.T) {
	g := newGateway(t)
	proxy := closedPort(t)
	r := runCLI(t, g.with(envBaseURL+"=https://api.telenor.test", "HTTPS_PROXY=http://proxyuser:proxy-S3CRET@"+proxy), "", "check")
	if want := "gateway https://api.telenor.test through proxy http://" + proxy + ","; !strings.Contains(r.stdout, want) {
		t.Errorf("stdout %q does not say %q", r.stdout, want)
	}
}
