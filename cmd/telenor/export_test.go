package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// sdkSession is the SDK's own session against g, for the expected items.
func sdkSession(t testing.TB, g *gateway) systemUser {
	t.Helper()
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: testClientID, ClientSecret: testClientSecret, BaseURL: g.URL, HTTPClient: g.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return cli.PasswordGrant(testUsername, testPassword)
}

func collect[T any](t testing.TB, items func(yield func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for it, err := range items {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
	return out
}

// TestCSVEqualsAPI parses each list's CSV back with encoding/csv and
// compares it, cell by cell, with the items the SDK's iterator returns,
// for both page envelopes and a count that is not a multiple of the page.
func TestCSVEqualsAPI(t *testing.T) {
	for _, env := range []telenortest.Envelope{telenortest.EnvelopeArray, telenortest.EnvelopeObject} {
		g := newGateway(t, telenortest.WithCompanyData(1234, 2345), telenortest.WithPageEnvelope(env))
		sys := sdkSession(t, g)
		ctx := context.Background()
		subs := collect(t, sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{}))
		accounts := collect(t, sys.Accounts(ctx, telenor.AccountsOptions{}))
		orgs := collect(t, listed(sys.Organizations(ctx)))
		agreements := collect(t, listed(sys.Agreements(ctx)))
		if len(subs) != 2345 || len(accounts) != 1234 {
			t.Fatalf("the SDK listed %d subscriptions and %d accounts", len(subs), len(accounts))
		}
		checkCSV(t, g, "subscriptions", subsRows(subs))
		checkCSV(t, g, "accounts", rowsOf(accounts, accountsList().cols))
		checkCSV(t, g, "orgs", rowsOf(orgs, orgsList().cols))
		checkCSV(t, g, "agreements", rowsOf(agreements, agreementsList().cols))
	}
}

// subsRows spells the expected subscription rows out field by field,
// independently of the command's column table.
func subsRows(subs []telenor.MobileSubscription) [][]string {
	rows := [][]string{{"msisdn", "type", "userReference1", "userReference2"}}
	for _, s := range subs {
		rows = append(rows, []string{s.MSISDN, s.Type, s.UserReference1, s.UserReference2})
	}
	return rows
}

func rowsOf[T any](items []T, cols []column[T]) [][]string {
	var rows [][]string
	var header []string
	for _, c := range cols {
		header = append(header, c.name)
	}
	rows = append(rows, header)
	for i := range items {
		var row []string
		for _, c := range cols {
			row = append(row, c.value(&items[i]))
		}
		rows = append(rows, row)
	}
	return rows
}

func checkCSV(t *testing.T, g *gateway, list string, want [][]string) {
	t.Helper()
	out := mustRun(t, g.env, list, "-format", "csv")
	got, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%s: the CSV does not parse: %v", list, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: the CSV's %d rows differ from the API's %d items", list, len(got)-1, len(want)-1)
	}
}

// TestJSONEqualsAPI decodes -format json and ndjson with the SDK's own
// types: every item equals the SDK's, members it does not model included.
func TestJSONEqualsAPI(t *testing.T) {
	g := newGateway(t, telenortest.WithCompanyData(7, 1111))
	want := collect(t, sdkSession(t, g).MobileSubscriptions(context.Background(), telenor.SubscriptionsOptions{}))
	var fromJSON []telenor.MobileSubscription
	if err := json.Unmarshal([]byte(mustRun(t, g.env, "subscriptions", "-format", "json")), &fromJSON); err != nil {
		t.Fatal(err)
	}
	var fromNDJSON []telenor.MobileSubscription
	sc := bufio.NewScanner(strings.NewReader(mustRun(t, g.env, "subscriptions", "-format", "ndjson")))
	for sc.Scan() {
		var s telenor.MobileSubscription
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("ndjson line %q: %v", sc.Text(), err)
		}
		fromNDJSON = append(fromNDJSON, s)
	}
	if len(want[0].Unknown()) == 0 {
		t.Fatal("the fake's subscriptions carry no unmodelled members; the test would prove nothing")
	}
	if !reflect.DeepEqual(asJSONValues(t, fromJSON), asJSONValues(t, want)) ||
		!reflect.DeepEqual(asJSONValues(t, fromNDJSON), asJSONValues(t, want)) {
		t.Errorf("json (%d) or ndjson (%d) items differ from the API's %d", len(fromJSON), len(fromNDJSON), len(want))
	}
}

// TestInterruptLeavesWholeRows sends SIGINT to the binary in the middle
// of a 100,000-subscription CSV export: the output so far parses as CSV,
// every row is the API's, and the exit status is 130.
func TestInterruptLeavesWholeRows(t *testing.T) {
	g := newGateway(t, telenortest.WithCompanyData(10, 100_000))
	cmd := telenorCmd(g.env, "subscriptions", "-format", "csv")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The binary cannot finish before the signal: 100,000 rows are far
	// more than the pipe holds, and nothing reads them until it is sent.
	head := make([]byte, 10_000)
	if _, err := io.ReadFull(stdout, head); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(stdout)
	if err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("exit: %v, want status %d\nstderr: %s", err, exitInterrupted, stderr.String())
	}
	rows, err := csv.NewReader(strings.NewReader(string(head) + string(rest))).ReadAll()
	if err != nil {
		t.Fatalf("the interrupted output is not valid CSV: %v", err)
	}
	n := len(rows) - 1
	if n <= 0 || n >= 100_000 {
		t.Fatalf("%d rows after the interrupt, want some but not all", n)
	}
	for i, row := range rows[1:] {
		if row[0] != telenortest.SubscriptionMSISDN(i) || len(row) != 4 {
			t.Fatalf("row %d is %q, want subscription %s", i+1, row, telenortest.SubscriptionMSISDN(i))
		}
	}
	if want := "telenor: interrupted after " + thousands(int64(n)) + " subscriptions"; !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("stderr %q, want %q…", stderr.String(), want)
	}
}

// TestClosedPipe: a reader that stops early (| head) ends the export
// quietly, with status 0, and no more pages are fetched.
func TestClosedPipe(t *testing.T) {
	g := newGateway(t, telenortest.WithCompanyData(10, 100_000))
	cmd := telenorCmd(g.env, "subscriptions", "-format", "csv")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || line != "msisdn,type,userReference1,userReference2\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	r.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v, want 0\nstderr: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	if pages := g.Requests(telenortest.MobileSubscriptionsPath); pages >= 100 {
		t.Errorf("%d pages fetched for a reader that left after one line", pages)
	}
}

// TestExportStopsBetweenRows: a page that fails after some items leaves
// the rows before it whole and flushed, and the error is returned.
func TestExportStopsBetweenRows(t *testing.T) {
	boom := errors.New("page 3 failed")
	items := func(yield func(telenor.Organization, error) bool) {
		for i := range 3 {
			if !yield(telenor.Organization{OrgNumber: strings.Repeat("9", i+1), Name: "A, \"B\"\nC"}, nil) {
				return
			}
		}
		yield(telenor.Organization{}, boom)
	}
	for _, f := range []format{formatCSV, formatJSON, formatNDJSON, formatTable} {
		var out strings.Builder
		n, err := export(context.Background(), items, orgsList().cols, f, &out, nil)
		if n != 3 || !errors.Is(err, boom) {
			t.Errorf("%s: %d items, %v; want 3 and the page's error", f, n, err)
		}
		switch f {
		case formatCSV:
			rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
			if err != nil || len(rows) != 4 || rows[3][1] != "A, \"B\"\nC" {
				t.Errorf("csv: %q, %v", rows, err)
			}
		case formatJSON:
			var got []telenor.Organization
			if err := json.Unmarshal([]byte(out.String()), &got); err != nil || len(got) != 3 {
				t.Errorf("json: %d items, %v:\n%s", len(got), err, out.String())
			}
		case formatTable:
			if strings.Contains(out.String(), "\nC") {
				t.Errorf("table: a newline from the gateway reached the terminal:\n%s", out.String())
			}
		}
	}
}

// asJSONValues re-encodes items and decodes them as plain JSON values:
// two items are equal when they carry the same members with the same
// values, whatever the spacing or member order of the text they came from.
func asJSONValues(t *testing.T, items []telenor.MobileSubscription) []any {
	t.Helper()
	b, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	var v []any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}
