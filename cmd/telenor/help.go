package main

import (
	"fmt"
	"io"
	"strings"
)

const globalHelp = `telenor checks Telenor Norway API credentials and exports a company's data.

Usage:
  telenor [flags] <command> [command flags] [arguments]

Commands:
%s
Flags (with every command, before or after it):
  -fake             run against an embedded fake gateway (telenortest): no account needed
  -password-stdin   read the system user's password from standard input
  -v                print error details and the SDK's debug log on standard error

Credentials (environment):
  TELENOR_CLIENT_ID, TELENOR_CLIENT_SECRET   the app, from Telenor's developer dashboard
  TELENOR_USERNAME, TELENOR_PASSWORD         the system user, from Min Bedrift
  TELENOR_BASE_URL                           the gateway (default https://api.telenor.no)
On a terminal, a missing client secret or password is asked for without echo.

Exit status:
  0 success           3 authentication rejected      130 interrupted (Ctrl-C)
  1 other failure     4 the gateway answered an error
  2 usage or config   5 network: DNS, proxy, TLS, connection, timeout

Run 'telenor help <command>' for a command's flags.
`

// printHelp writes the help for inv's command, or the global help.
func printHelp(w io.Writer, inv *invocation) {
	if inv == nil || inv.cmd == nil {
		var list strings.Builder
		for _, c := range commands() {
			fmt.Fprintf(&list, "  %-28s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
		}
		fmt.Fprintf(w, globalHelp, list.String())
		return
	}
	c := inv.cmd
	fmt.Fprintf(w, "Usage: telenor %s\n\n%s\n", strings.TrimSpace(c.name+" [flags] "+c.args), c.help)
	fs := newFlagSet("telenor " + c.name)
	var o options
	commonFlags(fs, &o)
	if c.flags != nil {
		c.flags(fs, &o)
	}
	fmt.Fprintf(w, "\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
}
