package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/telenor-go/telenor"
)

// runReal runs the password grant against the real gateway (or the one
// TELENOR_BASE_URL names) and explains the next step.
func runReal(ctx context.Context, out io.Writer, getenv func(string) string) error {
	user, pass := getenv("TELENOR_USERNAME"), getenv("TELENOR_PASSWORD")
	if user == "" || pass == "" {
		return fmt.Errorf("set TELENOR_USERNAME and TELENOR_PASSWORD to a Min Bedrift system user (or unset TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET to use the fake gateway)")
	}
	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     getenv("TELENOR_CLIENT_ID"),
		ClientSecret: getenv("TELENOR_CLIENT_SECRET"),
		BaseURL:      getenv("TELENOR_BASE_URL"), // empty: https://api.telenor.no
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Using your credentials against %s\n", cli.Endpoint().PasswordTokenURL)
	tok, err := cli.PasswordGrant(user, pass).Token(ctx)
	if err != nil {
		return fmt.Errorf("password grant: %w", err)
	}
	fmt.Fprintf(out, "Password grant: system user %s has a token, valid until %s\n",
		user, tok.Expiry.Format(time.RFC3339))
	fmt.Fprint(out, linkauthHint)
	return nil
}

// linkauthHint tells how to try line authentication for real.
const linkauthHint = `
Line authentication needs a browser on a phone with a Telenor SIM and
mobile data (not Wi-Fi). Register your callback URL and the origin of your
start page in the Telenor developer dashboard, then run the web app:

    go run -C examples/linkauth . -addr :8080 -callback-url https://your.host/callback

and open its start page over plain http on the phone. Without credentials
the same app runs against the fake gateway in any browser:

    go run -C examples/linkauth .
`
