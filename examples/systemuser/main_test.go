package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/telenor-go/telenor/telenortest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func noEnv(string) string { return "" }

// runArgs is main without the process: it parses args over getenv, as
// main does, and runs.
func runArgs(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	c, err := parseConfig(args, getenv, out)
	if err != nil {
		return err
	}
	return run(ctx, c, out)
}

// syncBuffer is an io.Writer for concurrent loggers; onLine sees each
// write (one log line).
type syncBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	onLine func(string)
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.onLine != nil {
		b.onLine(string(p))
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lastRecord returns the last JSON log record with message msg.
func lastRecord(t *testing.T, out, msg string) map[string]any {
	t.Helper()
	var found map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		if rec["msg"] == msg {
			found = rec
		}
	}
	if found == nil {
		t.Fatalf("no %q record in:\n%s", msg, out)
	}
	return found
}

func TestRunAgainstInProcessFake(t *testing.T) {
	var out syncBuffer
	args := []string{"-workers", "4", "-iterations", "3", "-interval", "0", "-page-size", "500"}
	if err := runArgs(t.Context(), args, noEnv, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "using the fake Telenor gateway") {
		t.Errorf("does not say it uses the fake:\n%s", s)
	}
	sum := lastRecord(t, s, "stopped")
	want := map[string]float64{"calls": 24, "subscriptions": 4 * 3 * telenortest.DefaultSubscriptions,
		"failures": 0, "token_requests": 1, "api_requests": 4 * 3 * (1 + 6)}
	for k, v := range want {
		if sum[k] != v {
			t.Errorf("summary %s = %v, want %v", k, sum[k], v)
		}
	}
	for _, secret := range []string{telenortest.DefaultPassword, telenortest.DefaultClientSecret} {
		if strings.Contains(s, secret) {
			t.Errorf("output contains a secret")
		}
	}
}

// TestRunEndsByItself: without flags it does a few rounds and ends with a
// summary; only -continuous runs until stopped.
func TestRunEndsByItself(t *testing.T) {
	var out syncBuffer
	if err := runArgs(t.Context(), []string{"-interval", "0"}, noEnv, &out); err != nil {
		t.Fatal(err)
	}
	sum := lastRecord(t, out.String(), "stopped")
	if sum["reason"] != "iterations done" || sum["calls"] != float64(8*3*2) || sum["failures"] != float64(0) {
		t.Errorf("summary = %v, want 8 workers × 3 rounds × 2 calls, iterations done", sum)
	}
}

// TestRunDoesNotPauseAfterTheLastRound: the pause is between rounds, so a
// single round ends at once, whatever -interval says (before, this run
// slept a day before its summary).
func TestRunDoesNotPauseAfterTheLastRound(t *testing.T) {
	var out syncBuffer
	if err := runArgs(t.Context(), []string{"-iterations", "1", "-interval", "24h"}, noEnv, &out); err != nil {
		t.Fatal(err)
	}
	if sum := lastRecord(t, out.String(), "stopped"); sum["reason"] != "iterations done" {
		t.Errorf("summary = %v", sum)
	}
}

func TestParseConfigRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-continuous", "-iterations", "5"},
		{"-iterations", "0"},
		{"-iterations", "-1"},
		{"-workers", "0"},
		{"-page-size", "5000"},
		{"-log", "xml"},
		{"extra"},
		{"-continuous", "extra"},
	} {
		if _, err := parseConfig(args, noEnv, io.Discard); err == nil {
			t.Errorf("parseConfig(%q) accepted it", args)
		}
	}
	c, err := parseConfig([]string{"-continuous"}, noEnv, io.Discard)
	if err != nil || c.iterations != 0 {
		t.Errorf("-continuous: iterations %d, err %v; want 0 (until stopped)", c.iterations, err)
	}
}

func TestRunStopsOnSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := syncBuffer{onLine: func(line string) {
		if strings.Contains(line, "round done") {
			cancel() // what Ctrl-C does through signal.NotifyContext
		}
	}}
	if err := runArgs(ctx, []string{"-continuous", "-interval", "0", "-log", "json"}, noEnv, &out); err != nil {
		t.Fatal(err)
	}
	sum := lastRecord(t, out.String(), "stopped")
	if sum["reason"] != "shutdown signal" || sum["failures"] != float64(0) {
		t.Errorf("summary = %v", sum)
	}
}

func TestRunWithCredentialsFromEnvironment(t *testing.T) {
	srv := telenortest.NewServer(telenortest.WithCompanyData(2, 30))
	defer srv.Close()
	env := map[string]string{
		"TELENOR_CLIENT_ID": telenortest.DefaultClientID, "TELENOR_CLIENT_SECRET": telenortest.DefaultClientSecret,
		"TELENOR_USERNAME": telenortest.DefaultUsername, "TELENOR_PASSWORD": telenortest.DefaultPassword,
		"TELENOR_BASE_URL": srv.URL,
	}
	var out syncBuffer
	err := runArgs(t.Context(), []string{"-iterations", "2", "-interval", "0", "-log", "text"},
		func(k string) string { return env[k] }, &out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "fake") || srv.TokenRequests() != 1 {
		t.Errorf("token requests = %d; output:\n%s", srv.TokenRequests(), out.String())
	}
	if got := srv.Requests(telenortest.OrganizationsPath); got != 8*2 {
		t.Errorf("organization requests = %d, want 16", got)
	}
}

func TestRunRejectsBadCredentialsAndConfig(t *testing.T) {
	srv := telenortest.NewServer()
	defer srv.Close()
	env := map[string]string{"TELENOR_CLIENT_ID": "x", "TELENOR_CLIENT_SECRET": "y",
		"TELENOR_USERNAME": "u", "TELENOR_PASSWORD": "wrong-password", "TELENOR_BASE_URL": srv.URL}
	var out syncBuffer
	err := runArgs(t.Context(), nil, func(k string) string { return env[k] }, &out)
	if err == nil || !strings.Contains(err.Error(), "password grant") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error()+out.String(), "wrong-password") {
		t.Error("the password was printed")
	}
	err = runArgs(t.Context(), nil, func(k string) string { return map[string]string{"TELENOR_CLIENT_ID": "x"}[k] }, &out)
	if err == nil || !strings.Contains(err.Error(), "TELENOR_CLIENT_SECRET, TELENOR_PASSWORD, TELENOR_USERNAME") {
		t.Errorf("partial credentials: err = %v", err)
	}
	err = runArgs(t.Context(), []string{"-page-size", "5000", "-iterations", "1"}, noEnv, &out)
	if err == nil || !strings.Contains(err.Error(), "-page-size") {
		t.Errorf("page size 5000: err = %v", err)
	}
}
