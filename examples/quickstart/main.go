// Command quickstart shows the SDK's main job in one run, with no Telenor
// account needed:
//
//	go run ./examples/quickstart
//
// Without TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET in the environment it
// starts a fake Telenor gateway (package telenortest) in-process and:
//
//  1. gets a system user's token with the password grant;
//  2. runs line authentication ("log in with your mobile") with the fake
//     approving at once, through a tiny in-process web app and browser;
//  3. prints the subscriber's mobile number, name and device;
//  4. lets 1,000 goroutines ask a fresh Session for a token at once, and
//     shows that they shared one token request;
//  5. logs the user out and shows that their Session now answers
//     ErrReauthenticate.
//
// With credentials it talks to the real gateway instead (TELENOR_BASE_URL
// overrides https://api.telenor.no), runs the password grant for
// TELENOR_USERNAME / TELENOR_PASSWORD, and explains how to try line
// authentication with the linkauth example. It never prints a secret or a
// token. Like the other examples and Go's flag package, it exits 0 on
// success and after -h (the usage, on stderr), 2 on a bad flag or
// argument, and 1 with a message when the run fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"time"
)

func main() {
	err := parseArgs(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // -h: the usage was printed, as asked
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(2) // a bad flag or argument
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// parseArgs accepts no flags and no arguments, only -h, whose usage text
// names the environment variables (never their values).
func parseArgs(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("unexpected arguments: " + strconv.Quote(fs.Arg(0)) + "; run with -h for help")
	}
	return nil
}

const usage = `Usage: quickstart

Without TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET in the environment it runs
against an in-process fake Telenor gateway. With them (and TELENOR_USERNAME,
TELENOR_PASSWORD, optionally TELENOR_BASE_URL) it runs the password grant
against the real gateway. Secrets are read only from the environment.
`

// run does the work of main: it writes its report to out and reads the
// environment through getenv (os.Getenv in main; a map in tests).
func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	id, secret := getenv("TELENOR_CLIENT_ID"), getenv("TELENOR_CLIENT_SECRET")
	switch {
	case id == "" && secret == "":
		return runFake(ctx, out)
	case id == "" || secret == "":
		return fmt.Errorf("set both TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET, or neither to use the fake gateway")
	}
	return runReal(ctx, out, getenv)
}
