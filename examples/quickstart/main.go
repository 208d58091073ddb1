// Command quickstart runs the SDK's main job against a fake Telenor gateway
// that it starts in-process, so it needs no Telenor account:
//
//	go run ./examples/quickstart
//
// It gets a system user's token with the password grant and prints when the
// token expires. It never prints a secret or a token.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run does the work of main and writes its report to out.
func run(ctx context.Context, out io.Writer) error {
	srv := telenortest.NewServer()
	defer srv.Close()
	fmt.Fprintf(out, "No credentials needed: using the fake Telenor gateway at %s\n", srv.URL)

	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      srv.URL,
		HTTPClient:   srv.Client(),
	})
	if err != nil {
		return err
	}
	sys := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	tok, err := sys.Token(ctx)
	if err != nil {
		return fmt.Errorf("password grant: %w", err)
	}
	fmt.Fprintf(out, "Password grant: got a token for system user %s, valid until %s\n",
		telenortest.DefaultUsername, tok.Expiry.Format(time.RFC3339))
	return nil
}
