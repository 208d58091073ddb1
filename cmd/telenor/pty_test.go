//go:build linux

package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/telenor-go/telenor/telenortest"
)

// terminal is a pseudo-terminal the binary runs in, as in a user's
// terminal window: what the program shows is read from the master side.
type terminal struct {
	ptmx, tty *os.File
	chunks    chan string
	seen      strings.Builder // everything the terminal showed so far
}

func newTerminal(t *testing.T) *terminal {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	term := &terminal{ptmx: ptmx, tty: tty, chunks: make(chan string)}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	go func() {
		defer close(term.chunks)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				term.chunks <- string(buf[:n])
			}
			if err != nil { // EIO once the last program on the terminal has exited
				return
			}
		}
	}()
	return term
}

// start runs the binary; with no other stdin, the terminal is its
// standard input and controlling terminal, as in a shell.
func (term *terminal) start(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if cmd.Stdin == nil {
		cmd.Stdin = term.tty
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

// expect reads what the terminal shows until it contains want.
func (term *terminal) expect(t *testing.T, want string) {
	t.Helper()
	for !strings.Contains(term.seen.String(), want) {
		chunk, ok := <-term.chunks
		if !ok {
			t.Fatalf("the terminal never showed %q; it showed %q", want, term.seen.String())
		}
		term.seen.WriteString(chunk)
	}
}

// drain reads the rest once the program has exited and the test has
// closed its side of the terminal.
func (term *terminal) drain() string {
	term.tty.Close()
	for chunk := range term.chunks {
		term.seen.WriteString(chunk)
	}
	return term.seen.String()
}

func (term *terminal) typeIn(t *testing.T, s string) {
	t.Helper()
	if _, err := term.ptmx.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

// TestPromptNoEcho: with no client secret and password in the
// environment, the binary asks for them on the terminal, and what is
// typed is not shown. The gateway issues the token, so it got them.
func TestPromptNoEcho(t *testing.T) {
	g := newGateway(t)
	term := newTerminal(t)
	cmd := telenorCmd(g.with(envClientSecret+"=", envPassword+"="), "token")
	var stdout strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, term.tty
	term.start(t, cmd)
	term.expect(t, "Client secret: ")
	term.typeIn(t, testClientSecret+"xø\x7f\x7f\r") // a typo, erased
	term.expect(t, "Password for "+testUsername+": ")
	term.typeIn(t, testPassword+"\r")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v; the terminal showed %q", err, term.seen.String())
	}
	shown := term.drain()
	if strings.Contains(shown, testClientSecret) || strings.Contains(shown, testPassword) {
		t.Errorf("the terminal echoed a secret: %q", shown)
	}
	if info, ok := g.LookupToken(strings.TrimSpace(stdout.String())); !ok || info.Subject != testUsername {
		t.Errorf("stdout %q is not a token the gateway issued to %s", stdout.String(), testUsername)
	}
}

// TestPromptCtrlC: Ctrl-C at the prompt (after a few keys) exits with
// 130 and leaves the terminal echoing again; nothing reached the gateway.
func TestPromptCtrlC(t *testing.T) {
	g := newGateway(t)
	term := newTerminal(t)
	cmd := telenorCmd(g.with(envPassword+"="), "orgs")
	cmd.Stdout, cmd.Stderr = io.Discard, term.tty
	term.start(t, cmd)
	term.expect(t, "Password for "+testUsername+": ")
	term.typeIn(t, "abc\x03")
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Errorf("exit: %v, want status %d; the terminal showed %q", err, exitInterrupted, term.seen.String())
	}
	tio, err := unix.IoctlGetTermios(int(term.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if tio.Lflag&unix.ECHO == 0 {
		t.Error("the terminal was left with echo off")
	}
	if g.TokenRequests() != 0 {
		t.Errorf("%d token requests after Ctrl-C at the prompt", g.TokenRequests())
	}
}

// TestProgressLine: with standard error on a terminal and standard output
// in a pipe, the export draws items, rate and elapsed time on one line,
// and leaves the final count.
func TestProgressLine(t *testing.T) {
	g := newGateway(t, telenortest.WithCompanyData(10, 20_000))
	term := newTerminal(t)
	cmd := telenorCmd(g.env, "subscriptions", "-format", "csv")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), io.Discard, term.tty
	term.start(t, cmd)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	shown := term.drain()
	final := regexp.MustCompile(`\r\x1b\[K20,000 subscriptions  [\d,]+/s  [\d.]+m?s\r?\n$`)
	if !final.MatchString(shown) {
		t.Errorf("the terminal showed %q; want the progress line ending in the final count", shown)
	}
}

// TestNoProgressOverATable: when standard output is the terminal too,
// the rows are the progress: no line is drawn over them.
func TestNoProgressOverATable(t *testing.T) {
	g := newGateway(t)
	term := newTerminal(t)
	cmd := telenorCmd(g.env, "subscriptions")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), term.tty, term.tty
	term.start(t, cmd)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	shown := term.drain()
	if strings.Contains(shown, "\x1b[K") || !strings.Contains(shown, "4790000012  VOICE  Ansatt 12") {
		t.Errorf("the terminal showed %q; want the table and no progress line", shown)
	}
}
