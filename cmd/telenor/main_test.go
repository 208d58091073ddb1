package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/telenor-go/telenor/telenortest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// binary is the telenor command, built once by TestMain: the tests run it
// as a process, as a user does.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "telenor-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "telenor")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building telenor: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Credentials of the test gateway: distinctive, so that a test can tell
// whether one leaked into any output.
const (
	testClientID     = "cli-app-7f3a"
	testClientSecret = "cs-S3CRET-9d41e6b2"
	testUsername     = "API1000XYZ"
	testPassword     = "pw-S3CRET-57c0aa19"
)

// gateway is a fake Telenor gateway for the binary, and the environment
// that points the binary at it.
type gateway struct {
	*telenortest.Server
	env []string
}

// newGateway starts a fake gateway with 5 accounts and 12 subscriptions
// (opts may change that) that knows the test credentials.
func newGateway(t testing.TB, opts ...telenortest.Option) *gateway {
	t.Helper()
	base := []telenortest.Option{
		telenortest.WithClient(testClientID, testClientSecret),
		telenortest.WithSystemUser(testUsername, testPassword),
		telenortest.WithCompanyData(5, 12),
	}
	srv := telenortest.NewServer(append(base, opts...)...)
	t.Cleanup(srv.Close)
	return &gateway{Server: srv, env: []string{
		envClientID + "=" + testClientID,
		envClientSecret + "=" + testClientSecret,
		envUsername + "=" + testUsername,
		envPassword + "=" + testPassword,
		envBaseURL + "=" + srv.URL,
	}}
}

// with returns the gateway's environment with extra (or replacing)
// variables; "NAME=" removes NAME.
func (g *gateway) with(vars ...string) []string {
	env := append([]string(nil), g.env...)
	for _, v := range vars {
		name, _, _ := strings.Cut(v, "=")
		env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, name+"=") })
		if !strings.HasSuffix(v, "=") {
			env = append(env, v)
		}
	}
	return env
}

// result is what one run of the binary printed and its exit status.
type result struct {
	stdout, stderr string
	code           int
}

// telenorCmd is the binary with args, in an environment holding only env:
// no proxy or credential of the machine leaks in.
func telenorCmd(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{}, env...)
	if raceEnabled {
		// The race runtime waits a second at exit for late reports; a
		// race still fails the run with exit status 66.
		cmd.Env = append(cmd.Env, "GORACE=atexit_sleep_ms=0")
	}
	return cmd
}

// runCLI runs the binary with args in env (see telenorCmd), stdin as its
// input.
func runCLI(t testing.TB, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := telenorCmd(env, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running telenor %s: %v", strings.Join(args, " "), err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// mustRun is runCLI for a run that must succeed.
func mustRun(t testing.TB, env []string, args ...string) string {
	t.Helper()
	r := runCLI(t, env, "", args...)
	if r.code != 0 {
		t.Fatalf("telenor %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}
