// Command systemuser is a backend worker that reads a company's own data
// with the password grant: many goroutines share ONE telenor.SystemSession
// (one token, fetched once and refreshed ahead of expiry), each listing
// the organizations and paging lazily through the mobile subscriptions,
// with structured log/slog output and a graceful shutdown on Ctrl-C or
// SIGTERM that logs a summary.
//
// With no client credentials it starts the fake gateway (telenortest) in-process
// and says so, so it runs on any machine. It does 3 rounds per worker and
// ends with a summary; -continuous works until Ctrl-C or SIGTERM instead:
//
//	go run ./examples/systemuser
//	go run ./examples/systemuser -workers 32 -iterations 5 -log text
//	go run ./examples/systemuser -continuous
//
// Against Telenor, set the app's credentials and the Min Bedrift system
// user in the environment (-client-id, -username and -base-url override
// theirs):
//
//	TELENOR_CLIENT_ID=… TELENOR_CLIENT_SECRET=… \
//	TELENOR_USERNAME=… TELENOR_PASSWORD=… \
//	TELENOR_BASE_URL=https://api.telenor.no go run ./examples/systemuser
//
// The client secret and the password come only from the environment: a
// flag's value is visible to other users of the machine, and a flag's
// default is printed by -h. It never prints a secret, a password or a
// token, in its usage text, its errors or its logs.
//
// The same worker with OpenTelemetry spans and metrics (-stdout prints
// them) is telenorotel/examples/systemuser, in the telenorotel module: an
// OpenTelemetry import here would add it to the SDK's own go.mod.
//
// Like the other examples and Go's flag package, it exits 0 after -h (the
// usage, on stderr), 2 on a bad flag or argument, and 1 when a run fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

func main() {
	c, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // -h: the usage was printed, as asked
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "systemuser:", err)
		os.Exit(2) // a bad flag or argument
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, c, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "systemuser:", err)
		os.Exit(1)
	}
}

// config is what the flags and the environment say.
type config struct {
	clientID, clientSecret string
	username, password     string
	baseURL                string
	workers, iterations    int // iterations 0: until ctx ends (-continuous)
	pageSize               int
	interval               time.Duration
	logFormat              string
}

// parseConfig reads args over the environment (getenv); usage and flag
// errors go to out. The secrets come only from the environment and never
// become flag defaults, which -h prints.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (config, error) {
	c := config{clientSecret: getenv("TELENOR_CLIENT_SECRET"), password: getenv("TELENOR_PASSWORD")}
	fs := flag.NewFlagSet("systemuser", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: systemuser [flags]\n\n"+
			"Set TELENOR_CLIENT_SECRET and TELENOR_PASSWORD in the environment (never as flags),\n"+
			"with TELENOR_CLIENT_ID and TELENOR_USERNAME; without client credentials it uses the fake gateway.\n\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.clientID, "client-id", getenv("TELENOR_CLIENT_ID"), "OAuth client id (env TELENOR_CLIENT_ID)")
	fs.StringVar(&c.username, "username", getenv("TELENOR_USERNAME"), "Min Bedrift system user (env TELENOR_USERNAME)")
	fs.StringVar(&c.baseURL, "base-url", getenv("TELENOR_BASE_URL"), "API base URL (env TELENOR_BASE_URL; default https://api.telenor.no)")
	fs.IntVar(&c.workers, "workers", 8, "goroutines sharing the one session")
	fs.IntVar(&c.iterations, "iterations", 3, "rounds per worker, then a summary and exit")
	continuous := fs.Bool("continuous", false, "run rounds until Ctrl-C or SIGTERM instead of -iterations")
	fs.IntVar(&c.pageSize, "page-size", telenor.DefaultPageSize, "subscriptions per page (1-1000)")
	fs.DurationVar(&c.interval, "interval", time.Second, "pause between a worker's rounds")
	fs.StringVar(&c.logFormat, "log", "json", "log format: json or text")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %q; run with -h for help", fs.Arg(0))
	case c.workers < 1 || c.iterations < 1:
		return c, errors.New("-workers and -iterations must be at least 1 (-continuous runs until stopped)")
	case *continuous && flagSet(fs, "iterations"):
		return c, errors.New("-continuous runs until stopped: drop -iterations")
	case c.pageSize < 1 || c.pageSize > telenor.MaxPageSize:
		return c, fmt.Errorf("-page-size must be 1 to %d", telenor.MaxPageSize)
	case c.logFormat != "json" && c.logFormat != "text":
		return c, fmt.Errorf("-log %q: want json or text", c.logFormat)
	}
	if *continuous {
		c.iterations = 0
	}
	return c, nil
}

// flagSet reports whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// fake reports whether to use the fake gateway: no client credentials
// set. With client credentials, everything else must be set too; the
// error names what is missing.
func (c config) fake() (bool, error) {
	if c.clientID == "" && c.clientSecret == "" {
		return true, nil
	}
	var missing []string
	for name, v := range map[string]string{"TELENOR_CLIENT_ID": c.clientID, "TELENOR_CLIENT_SECRET": c.clientSecret,
		"TELENOR_USERNAME": c.username, "TELENOR_PASSWORD": c.password} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return false, fmt.Errorf("credentials incomplete: set %s too (or no client credentials to use the fake gateway)",
			strings.Join(missing, ", "))
	}
	return false, nil
}

// newLogger logs to out in format, "json" or "text" (parseConfig checked).
func newLogger(format string, out io.Writer) *slog.Logger {
	if format == "text" {
		return slog.New(slog.NewTextHandler(out, nil))
	}
	return slog.New(slog.NewJSONHandler(out, nil))
}

// run is main without the process: it works until ctx ends or every
// worker has done its iterations, then logs a summary to out.
func run(ctx context.Context, c config, out io.Writer) error {
	log := newLogger(c.logFormat, out)
	fake, err := c.fake()
	if err != nil {
		return err
	}
	var srv *telenortest.Server
	if fake {
		srv = telenortest.NewServer()
		defer srv.Close()
		log.Info("no credentials set: using the fake Telenor gateway in-process", "base_url", srv.URL)
		c.clientID, c.clientSecret = telenortest.DefaultClientID, telenortest.DefaultClientSecret
		c.username, c.password, c.baseURL = telenortest.DefaultUsername, telenortest.DefaultPassword, srv.URL
	}
	return work(ctx, c, log, srv)
}
