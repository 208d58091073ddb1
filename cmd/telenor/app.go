package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// command is one subcommand of telenor.
type command struct {
	name, args, summary string
	// help is the paragraph "telenor help NAME" prints above the flags.
	help string
	// flags registers the command's own flags; nil when it has none.
	flags func(fs *flag.FlagSet, o *options)
	run   func(ctx context.Context, inv *invocation) error
}

// options holds every flag; each command registers the ones it reads.
type options struct {
	fake, verbose, passwordStdin bool
	format                       formatFlag
	productID                    string
	since                        sinceFlag
	json                         bool
}

// invocation is one parsed command line and what it runs with.
type invocation struct {
	cmd  *command
	opts options
	args []string // positional arguments after the command name
	env  *environment
}

func commands() []*command {
	return []*command{
		checkCommand(), listCommand(orgsList()), listCommand(accountsList()),
		listCommand(agreementsList()), listCommand(subscriptionsList()),
		tokenCommand(), apiCommand(), versionCommand(),
	}
}

// run runs one command line and returns the process's exit status.
func run(ctx context.Context, args []string, env *environment) int {
	inv, err := parse(args, env)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printHelp(env.stdout, inv)
		return exitOK
	case err != nil:
		fmt.Fprintf(env.stderr, "telenor: %v (see 'telenor help')\n", err)
		return exitUsage
	}
	return report(ctx, env.stderr, inv.opts.verbose, inv.cmd.run(ctx, inv))
}

// parse reads a command line: global flags, the command, then its flags
// and arguments in any order. Global flags may also follow the command.
// It returns flag.ErrHelp (with the invocation, whose cmd may be nil) for
// -h and "help".
func parse(args []string, env *environment) (*invocation, error) {
	inv := &invocation{env: env}
	global := newFlagSet("telenor")
	commonFlags(global, &inv.opts)
	if err := global.Parse(args); err != nil {
		return inv, err
	}
	rest := global.Args()
	if len(rest) == 0 {
		return inv, errors.New("no command given")
	}
	if rest[0] == "help" {
		return helpTopic(inv, rest[1:])
	}
	if inv.cmd = lookup(rest[0]); inv.cmd == nil {
		return nil, fmt.Errorf("unknown command %q", rest[0])
	}
	// Parse the global flags again into a set that knows the command's
	// flags too, so that -h lists them all and each keeps its default.
	inv.opts = options{}
	fs := newFlagSet("telenor " + inv.cmd.name)
	commonFlags(fs, &inv.opts)
	if inv.cmd.flags != nil {
		inv.cmd.flags(fs, &inv.opts)
	}
	consumed := args[:len(args)-len(rest)]
	pos, err := parseInterleaved(fs, append(slices.Clone(consumed), rest[1:]...))
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		err = fmt.Errorf("%s: %w", inv.cmd.name, err)
	}
	inv.args = pos
	return inv, err
}

func helpTopic(inv *invocation, topic []string) (*invocation, error) {
	if len(topic) == 0 {
		return inv, flag.ErrHelp
	}
	if inv.cmd = lookup(topic[0]); inv.cmd == nil {
		return nil, fmt.Errorf("help: unknown command %q", topic[0])
	}
	return inv, flag.ErrHelp
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// newFlagSet returns a flag set that reports errors to its caller and
// prints nothing itself.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// commonFlags registers the flags every command takes. No flag's default
// comes from the environment, so help text never shows a credential.
func commonFlags(fs *flag.FlagSet, o *options) {
	fs.BoolVar(&o.fake, "fake", false, "run against an embedded fake gateway (telenortest): no account needed")
	fs.BoolVar(&o.verbose, "v", false, "print error details and the SDK's debug log on standard error")
	fs.BoolVar(&o.passwordStdin, "password-stdin", false, "read the system user's password from standard input")
}

// parseInterleaved parses flags anywhere among the positional arguments
// ("api /path -v" as well as "api -v /path"); after "--" everything is
// positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// noArgs rejects positional arguments for commands that take none.
func noArgs(inv *invocation) error {
	if len(inv.args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", inv.cmd.name, strings.Join(inv.args, " "))
	}
	return nil
}
