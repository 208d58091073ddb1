// Command telenor checks Telenor Norway API credentials and exports a
// company's data (organizations, accounts, agreements, mobile
// subscriptions) from a terminal, through the telenor Go SDK.
//
//	go install github.com/telenor-go/telenor/cmd/telenor@latest
//	telenor --fake subscriptions --format csv
//
// Run "telenor help" for the commands, flags, credentials and exit codes.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"unicode/utf8"

	"golang.org/x/term"
)

func main() {
	// A reader that goes away (| head) makes writes fail with EPIPE,
	// which the commands treat as the end of the output, instead of the
	// runtime killing the process with SIGPIPE.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first Ctrl-C has cancelled ctx, a second one kills at once.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], osEnvironment())
	stop()
	os.Exit(code)
}

// environment is everything a run takes from its process, so that tests
// and benchmarks can run the command in-process.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stdoutTTY and stderrTTY report whether the streams are terminals:
	// a table and a progress line are for people, not for files.
	stdoutTTY, stderrTTY bool
	// prompt asks for a secret without echo; nil when stdin is not a
	// terminal.
	prompt func(ctx context.Context, label string) (string, error)
	getenv func(string) string
}

// osEnvironment is the environment of this process.
func osEnvironment() *environment {
	e := &environment{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
		getenv:    os.Getenv,
	}
	if isTerminal(os.Stdin) {
		e.prompt = terminalPrompt(os.Stdin, os.Stderr)
	}
	return e
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// terminalPrompt asks on out and reads a line from the terminal in
// without showing it. The terminal is put in raw mode before the prompt
// appears, so that not even keys typed ahead are echoed; Ctrl-C while it
// waits exits with the status of an interrupt.
func terminalPrompt(in *os.File, out io.Writer) func(context.Context, string) (string, error) {
	return func(ctx context.Context, label string) (string, error) {
		fd := int(in.Fd())
		state, err := term.MakeRaw(fd)
		if err != nil {
			return "", fmt.Errorf("reading the terminal: %w", err)
		}
		defer term.Restore(fd, state)
		fmt.Fprint(out, label)
		defer fmt.Fprint(out, "\r\n") // raw mode: no newline translation
		type answer struct {
			s   string
			err error
		}
		got := make(chan answer, 1) // buffered: the reader may finish after we gave up
		go func() {
			s, err := readHidden(in)
			got <- answer{s, err}
		}()
		select {
		case a := <-got:
			return a.s, a.err
		case <-ctx.Done(): // SIGTERM, or SIGINT sent with kill: the process is exiting
			return "", ctx.Err()
		}
	}
}

// readHidden reads one line typed on a terminal in raw mode: Enter ends
// it, Backspace and Ctrl-U edit it, Ctrl-C and Ctrl-D give up.
func readHidden(r io.Reader) (string, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		if _, err := io.ReadFull(r, b); err != nil {
			return "", err
		}
		switch b[0] {
		case '\r', '\n':
			return string(line), nil
		case 0x03: // Ctrl-C
			return "", &failure{code: exitInterrupted, msg: "interrupted"}
		case 0x04: // Ctrl-D
			return "", usageErrorf("no value typed (Ctrl-D)")
		case 0x7f, 0x08: // Backspace: drop the last character, not byte
			_, size := utf8.DecodeLastRune(line)
			line = line[:len(line)-size]
		case 0x15: // Ctrl-U
			line = line[:0]
		default:
			line = append(line, b[0])
		}
	}
}
