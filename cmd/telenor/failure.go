package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/telenor-go/telenor"
)

// Exit statuses, documented in the help text and the README.
const (
	exitOK          = 0
	exitError       = 1   // anything not below, e.g. a failed write to a file
	exitUsage       = 2   // bad command line or configuration
	exitAuth        = 3   // the gateway rejected the credentials or the token
	exitGateway     = 4   // the gateway answered an error or nonsense
	exitNetwork     = 5   // no answer: DNS, proxy, TLS, connection, timeout
	exitInterrupted = 130 // Ctrl-C (SIGINT) or SIGTERM, as shells report 128+2
)

// failure is an error with its exit status and a one-line message a
// person can act on; the wrapped error holds the details -v prints.
type failure struct {
	code int
	msg  string
	err  error
}

func (f *failure) Error() string { return f.msg }
func (f *failure) Unwrap() error { return f.err }

func usageErrorf(format string, args ...any) error {
	return &failure{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

// report prints err (if any) as one line on stderr, with its details when
// verbose, and returns the exit status for it.
func report(ctx context.Context, stderr io.Writer, verbose bool, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, syscall.EPIPE) {
		return exitOK // the reader went away (| head): it has what it wanted
	}
	code, msg := classify(err)
	if ctx.Err() != nil && code != exitInterrupted {
		code, msg = exitInterrupted, "interrupted"
	}
	fmt.Fprintf(stderr, "telenor: %s\n", oneLine(msg))
	if detail := details(err); verbose && detail != nil && detail.Error() != msg {
		fmt.Fprintf(stderr, "telenor: details: %s\n", oneLine(sdkText(detail.Error())))
	}
	return code
}

// details is the error behind err's one-line message.
func details(err error) error {
	if f, ok := err.(*failure); ok {
		return f.err
	}
	return err
}

// classify maps an error to its exit status and a line that says what to
// do. SDK errors already name the field, status and gateway code; the
// CLI adds which environment variable or which site fixes it.
func classify(err error) (int, string) {
	var (
		f   *failure
		ae  *telenor.AuthError
		api *telenor.APIError
	)
	switch {
	case errors.As(err, &f):
		return f.code, f.msg
	case errors.Is(err, telenor.ErrInvalidConfig):
		return exitUsage, sdkText(err.Error())
	case errors.As(err, &ae):
		return authFailure(ae)
	case errors.As(err, &api):
		return apiFailure(api)
	case errors.Is(err, telenor.ErrMalformedResponse):
		return exitGateway, sdkText(err.Error()) + "; a proxy or the gateway answered something that is not the API's JSON"
	case errors.Is(err, telenor.ErrTokenTimeout):
		return exitNetwork, "the token endpoint did not answer in time; check TELENOR_BASE_URL and the network, then try again"
	}
	if msg, ok := networkProblem(err); ok {
		return exitNetwork, msg
	}
	return exitError, sdkText(err.Error())
}

// sdkText is an SDK error's message without its "telenor: " prefix,
// which report prints once in front of every message.
func sdkText(s string) string { return strings.TrimPrefix(s, "telenor: ") }

// authFailure explains a token endpoint's refusal.
func authFailure(ae *telenor.AuthError) (int, string) {
	switch {
	case errors.Is(ae, telenor.ErrInvalidClient):
		return exitAuth, fmt.Sprintf("the token endpoint rejected the app's client id or secret (%d %s): "+
			"check TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET against the app in Telenor's developer dashboard",
			ae.StatusCode, ae.Code)
	case errors.Is(ae, telenor.ErrInvalidGrant):
		return exitAuth, fmt.Sprintf("the token endpoint rejected the system user's username or password (%d %s): "+
			"check TELENOR_USERNAME and TELENOR_PASSWORD against the system user in Min Bedrift",
			ae.StatusCode, ae.Code)
	case ae.StatusCode == http.StatusNotFound:
		return exitGateway, "the token endpoint answered 404 Not Found: check TELENOR_BASE_URL " +
			"(the password grant is served at /oauth/token, on some gateways at /oauth/v2/token)"
	case ae.StatusCode == http.StatusUnauthorized || ae.StatusCode == http.StatusForbidden:
		return exitAuth, sdkText(ae.Error())
	}
	return exitGateway, sdkText(ae.Error())
}

// apiFailure explains an API's error answer.
func apiFailure(e *telenor.APIError) (int, string) {
	switch {
	case e.StatusCode == http.StatusForbidden:
		return exitAuth, sdkText(e.Error()) + "; the app needs the Mobile Subscription Info API product (developer dashboard) " +
			"and the system user access to the company (Min Bedrift)"
	case e.StatusCode == http.StatusUnauthorized:
		return exitAuth, sdkText(e.Error()) + "; the gateway rejected a fresh token: check the app's API products in the developer dashboard"
	case e.StatusCode == http.StatusNotFound:
		return exitGateway, sdkText(e.Error()) + "; check the path and the API version"
	case e.StatusCode == http.StatusTooManyRequests:
		return exitGateway, sdkText(e.Error()) + "; the app's quota or rate limit is used up: wait and try again"
	case e.StatusCode >= 500:
		return exitGateway, sdkText(e.Error()) + "; Telenor's side failed (already retried): try again later, quoting the request id to support"
	}
	return exitGateway, sdkText(e.Error())
}

// networkProblem explains a request that got no answer, naming the host
// or proxy and what usually fixes it.
func networkProblem(err error) (string, bool) {
	var (
		dns      *net.DNSError
		op       *net.OpError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
		netErr   net.Error
	)
	switch {
	case errors.As(err, &op) && op.Op == "proxyconnect":
		return fmt.Sprintf("cannot reach the proxy (%v): check HTTPS_PROXY and NO_PROXY", op.Err), true
	case errors.As(err, &dns):
		return fmt.Sprintf("cannot resolve %s (%s): check TELENOR_BASE_URL and the DNS settings", dns.Name, dns.Err), true
	case errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verify), errors.As(err, &record), errors.As(err, &alert):
		return fmt.Sprintf("TLS failed: %s: check TELENOR_BASE_URL; behind a TLS-inspecting proxy, "+
			"add its CA to the system's trust store or SSL_CERT_FILE", tlsDetail(err)), true
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection refused%s: check TELENOR_BASE_URL and that the gateway is reachable", opAddr(err)), true
	case errors.Is(err, syscall.ECONNRESET):
		return fmt.Sprintf("connection reset%s (already retried): a proxy or firewall may be cutting connections; try again", opAddr(err)), true
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("timed out%s: check the network, HTTPS_PROXY and TELENOR_BASE_URL", opAddr(err)), true
	}
	return "", false
}

// tlsDetail is the last part of a TLS error: what was wrong with the
// certificate, without the layers of "Get URL:" before it.
func tlsDetail(err error) string {
	s := err.Error()
	if i := strings.Index(s, "tls: "); i >= 0 {
		return s[i:]
	}
	if i := strings.Index(s, "x509: "); i >= 0 {
		return s[i:]
	}
	return s
}

// opAddr names the address a failed dial or read was for, if known.
func opAddr(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Addr != nil {
		return " (" + op.Addr.String() + ")"
	}
	return ""
}

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
