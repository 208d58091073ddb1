package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestGolden runs each command in each format against the fake gateway
// and compares what it prints, and its exit status, with
// testdata/NAME.golden. Run with -update to rewrite the files.
func TestGolden(t *testing.T) {
	g := newGateway(t)
	cases := []struct {
		name string
		args []string
	}{
		{"help", []string{"help"}},
		{"help_subscriptions", []string{"help", "subscriptions"}},
		{"version", []string{"version"}},
		{"check", []string{"check"}},
		{"token", []string{"token"}},
		{"token_json", []string{"token", "-json"}},
		{"api_orgs", []string{"api", "/organizations/v1/organizations"}},
		{"api_not_found", []string{"api", "/no/such/path"}},
		{"subscriptions_product", []string{"subscriptions", "-product-id", "50795", "-format", "csv"}},
		{"subscriptions_since", []string{"subscriptions", "-since", "2h", "-format", "csv"}},
		{"subscriptions_both_filters", []string{"subscriptions", "-since", "2h", "-product-id", "50795"}},
	}
	for _, list := range []string{"orgs", "accounts", "agreements", "subscriptions"} {
		for _, f := range formats() {
			cases = append(cases, struct {
				name string
				args []string
			}{list + "_" + f.String(), []string{list, "-format", f.String()}})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, g.env, "", c.args...)
			checkGolden(t, c.name, transcript(c.args, r))
		})
	}
}

// TestGoldenFake runs the README's commands against the embedded fake
// gateway, with no credentials at all in the environment.
func TestGoldenFake(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"fake_check", []string{"--fake", "check"}},
		{"fake_orgs", []string{"--fake", "orgs"}},
		{"fake_agreements", []string{"agreements", "--fake"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, nil, "", c.args...)
			checkGolden(t, c.name, transcript(c.args, r))
		})
	}
	// The README's "| head": the first ten lines of 2,500 subscriptions.
	t.Run("fake_subscriptions_csv_head", func(t *testing.T) {
		t.Parallel()
		args := []string{"--fake", "subscriptions", "--format", "csv"}
		r := runCLI(t, nil, "", args...)
		lines := strings.SplitAfter(r.stdout, "\n")
		if len(lines) != 2502 { // header, 2,500 rows, and "" after the last newline
			t.Errorf("got %d lines, want a header and 2,500 rows", len(lines)-1)
		}
		r.stdout = strings.Join(lines[:10], "")
		checkGolden(t, "fake_subscriptions_csv_head", transcript(append(args, "|", "head"), r))
	})
}

// transcript is what a run showed, in the form the golden files keep,
// with what changes from run to run (the gateway's port, tokens, times,
// the Go version) replaced by placeholders.
func transcript(args []string, r result) string {
	s := fmt.Sprintf("$ telenor %s\n--- stdout\n%s--- stderr\n%s--- exit %d\n",
		strings.Join(args, " "), r.stdout, r.stderr, r.code)
	for _, n := range []struct{ re, with string }{
		{`127\.0\.0\.1:\d+`, "GATEWAY"},
		{`(?m)^telenor (\(devel\)|v\S+)( [0-9a-f]{12})?$`, "telenor VERSION"}, // from the checkout's VCS, if any
		{`\b[0-9a-f]{40}\b`, "TOKEN"},
		{`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"`, `"TIME"`},
		{regexp.QuoteMeta(runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH), "GOVERSION"},
	} {
		s = regexp.MustCompile(n.re).ReplaceAllString(s, n.with)
	}
	return s
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (run with -update if the change is intended)\n--- got\n%s--- want\n%s",
			path, got, want)
	}
}
