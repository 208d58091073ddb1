package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/telenor-go/telenor/telenortest"
)

// TestNoSecretInOutput runs every command, in every format, with -v, into
// successes and failures, with the secrets in the environment (and wrong
// ones), and checks that neither stream shows a client secret, a
// password or an access token the gateway issued. Only "telenor token"
// prints a token, on standard output.
func TestNoSecretInOutput(t *testing.T) {
	const wrongSecret, wrongPassword = "wrong-cs-S3CRET-31f0", "wrong-pw-S3CRET-88aa"
	secrets := []string{testClientSecret, testPassword, wrongSecret, wrongPassword}
	g := newGateway(t)
	var runs [][]string
	for _, list := range []string{"orgs", "accounts", "agreements", "subscriptions"} {
		for _, f := range formats() {
			runs = append(runs, []string{list, "-v", "-format", f.String()})
		}
	}
	runs = append(runs, []string{"check", "-v"}, []string{"api", "-v", telenortest.AccountsPath},
		[]string{"version", "-v"}, []string{"help"}, []string{"help", "token"}, []string{"token", "-h"})
	environments := map[string][]string{
		"right":          g.env,
		"wrong secret":   g.with(envClientSecret + "=" + wrongSecret),
		"wrong password": g.with(envPassword + "=" + wrongPassword),
	}
	token := regexp.MustCompile(`[0-9a-f]{40}`)
	// The detector works: "telenor token" prints a token the gateway knows.
	if tok := token.FindString(mustRun(t, g.env, "token")); tok == "" {
		t.Fatal("telenor token printed no token")
	} else if _, issued := g.LookupToken(tok); !issued {
		t.Fatal("the gateway does not know the token telenor token printed")
	}
	check := func(name, out string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows a secret %q:\n%s", name, s, out)
			}
		}
		for _, tok := range token.FindAllString(out, -1) {
			if _, issued := g.LookupToken(tok); issued {
				t.Errorf("%s shows an access token:\n%s", name, out)
			}
		}
	}
	for envName, env := range environments {
		for _, args := range append(runs, []string{"token", "-v"}, []string{"token", "-json", "-v"}) {
			name := envName + ": telenor " + strings.Join(args, " ")
			r := runCLI(t, env, "", args...)
			check(name+" (stderr)", r.stderr)
			if args[0] != "token" {
				check(name+" (stdout)", r.stdout)
			}
		}
	}
	// A failing API after a good token, and -password-stdin.
	g.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: 40106})
	g.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: 40106})
	r := runCLI(t, g.with(envPassword+"="), testPassword+"\n", "orgs", "-v", "-password-stdin")
	if r.code != exitAuth {
		t.Errorf("a token rejected twice: exit %d, want %d\n%s", r.code, exitAuth, r.stderr)
	}
	check("orgs -password-stdin after 401s", r.stdout+r.stderr)
}

// TestPasswordStdin: -password-stdin takes the password from the first
// line of standard input and overrides the environment's.
func TestPasswordStdin(t *testing.T) {
	g := newGateway(t)
	out := runCLI(t, g.with(envPassword+"=not-this-one"), testPassword+"\r\nignored\n", "orgs", "-format", "csv", "-password-stdin")
	if out.code != 0 || !strings.Contains(out.stdout, "914742315,Fjordtest AS") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", out.code, out.stdout, out.stderr)
	}
	empty := runCLI(t, g.env, "", "orgs", "-password-stdin")
	if empty.code != exitUsage || !strings.Contains(empty.stderr, "standard input is empty") {
		t.Errorf("empty stdin: exit %d, stderr %q", empty.code, empty.stderr)
	}
}
