package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/telenor-go/telenor/telenortest"
)

func checkCommand() *command {
	return &command{
		name: "check", summary: "get a token and call one company endpoint; say what to fix",
		help: `check gets a token with the configured app and system user, then calls one
company endpoint (GET ` + telenortest.OrganizationsPath + `). It prints a line per
step that works; the first step that fails is reported on standard error with
what to fix, and sets the exit status (3 credentials, 4 gateway, 5 network).`,
		run: runCheck,
	}
}

func runCheck(ctx context.Context, inv *invocation) error {
	if err := noArgs(inv); err != nil {
		return err
	}
	conn, err := connect(ctx, inv)
	if err != nil {
		return err
	}
	defer conn.close()
	out := inv.env.stdout
	fmt.Fprintf(out, "ok  configuration: gateway %s%s, app %s, system user %s\n",
		conn.baseURL, proxyNote(conn.baseURL, inv.opts.fake), conn.clientID, conn.username)
	tok, err := conn.sys.Token(ctx)
	if err != nil {
		return stepFailed("token", err)
	}
	life := time.Duration(tok.ExpiresIn) * time.Second
	if used := conn.client.Endpoint().PasswordTokenURL; used != conn.passwordTokenURL {
		fmt.Fprintf(out, "ok  token: %s answered 404 Not Found; the SDK fell back to %s, which issued a token valid for %s\n",
			pathOf(conn.passwordTokenURL), pathOf(used), life)
	} else {
		fmt.Fprintf(out, "ok  token: %s issued a token valid for %s\n", pathOf(used), life)
	}
	orgs, err := conn.sys.Organizations(ctx)
	if err != nil {
		return stepFailed("company data", err)
	}
	_, err = fmt.Fprintf(out, "ok  company data: GET %s answered %d organizations\n", telenortest.OrganizationsPath, len(orgs))
	return err
}

// stepFailed names the step that failed in the one-line message.
func stepFailed(step string, err error) error {
	code, msg := classify(err)
	return &failure{code: code, msg: step + ": " + msg, err: err}
}

// proxyNote says which proxy the environment (HTTPS_PROXY, NO_PROXY)
// routes the gateway through, without any user info in its URL.
func proxyNote(base string, fake bool) string {
	if fake {
		return " (the embedded fake)"
	}
	req, err := http.NewRequest(http.MethodGet, base, nil)
	if err != nil {
		return ""
	}
	p, err := http.ProxyFromEnvironment(req)
	if err != nil || p == nil {
		return ""
	}
	return fmt.Sprintf(" through proxy %s://%s", p.Scheme, p.Host)
}

// pathOf is the path of an endpoint URL, as people read it in docs.
func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		return u.Path
	}
	return raw
}
