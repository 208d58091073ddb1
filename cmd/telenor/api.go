package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

func apiCommand() *command {
	return &command{
		name: "api", args: "PATH", summary: "GET PATH on the API host; the body goes to standard output",
		help: `api sends GET PATH to the gateway through the SDK's transport: the system
user's token, retries of 429 and 5xx, one replay after a rejected token. The
body goes to standard output as it arrives, also for an error answer, whose
status is reported on standard error and sets the exit status.

PATH is a path with an optional query, such as
  telenor api '` + telenortest.AccountsPath + `?page=0&pageSize=5'
An absolute URL is accepted only on the gateway's own scheme and host: the
token is never sent anywhere else.`,
		run: runAPI,
	}
}

func runAPI(ctx context.Context, inv *invocation) error {
	if len(inv.args) != 1 {
		return usageErrorf("api takes one PATH, such as %s", telenortest.OrganizationsPath)
	}
	// Refuse before connecting: a refused URL needs no credentials.
	if !inv.opts.fake {
		if _, err := apiURL(orDefault(inv.env.getenv(envBaseURL), telenor.DefaultBaseURL), inv.args[0]); err != nil {
			return err
		}
	}
	conn, err := connect(ctx, inv)
	if err != nil {
		return err
	}
	defer conn.close()
	target, err := apiURL(conn.baseURL, inv.args[0])
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
	if err != nil {
		return usageErrorf("api: %v", err)
	}
	resp, err := conn.sys.HTTPClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	bw := bufio.NewWriterSize(inv.env.stdout, outputBuffer)
	_, err = io.Copy(bw, resp.Body)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if resp.StatusCode/100 != 2 { // the answer's status decides, even if stdout went away
		apiErr := &telenor.APIError{Method: req.Method, Path: target.Path, StatusCode: resp.StatusCode}
		code, msg := apiFailure(apiErr)
		return &failure{code: code, msg: msg + " (the body is on standard output)", err: apiErr}
	}
	if err != nil {
		return fmt.Errorf("api: copying the body: %w", err)
	}
	return nil
}

// apiURL resolves raw (a path with an optional query, or an absolute URL
// on base's scheme, host and port) against base. Anything else is
// refused: the request carries the system user's token.
func apiURL(base, raw string) (*url.URL, error) {
	b, err := url.Parse(base)
	if err != nil {
		return nil, usageErrorf("%s %q is not a URL", envBaseURL, base)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, usageErrorf("api: %q is not a path or URL: %v", raw, err)
	}
	if u.Scheme != "" || u.Host != "" || u.User != nil {
		if !sameHost(u, b) || u.User != nil {
			return nil, usageErrorf("api: refusing %s://%s: the token goes only to %s://%s; give a path such as %s",
				u.Scheme, u.Host, b.Scheme, b.Host, telenortest.OrganizationsPath)
		}
	}
	out := *b
	out.Path, out.RawPath = u.Path, u.RawPath
	if !strings.HasPrefix(out.Path, "/") {
		out.Path = "/" + out.Path
		if out.RawPath != "" {
			out.RawPath = "/" + out.RawPath
		}
	}
	out.RawQuery, out.Fragment = u.RawQuery, ""
	return &out, nil
}

// sameHost reports whether u has b's scheme, host and port (default ports
// made explicit).
func sameHost(u, b *url.URL) bool {
	return strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Hostname(), b.Hostname()) &&
		portOf(u) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}
