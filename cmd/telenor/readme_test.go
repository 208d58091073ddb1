package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeFakeCommands runs the "telenor --fake" lines of this
// module's README and the "go -C cmd/telenor run ." line of the
// repository's README with the binary: each must succeed and print.
func TestReadmeFakeCommands(t *testing.T) {
	var lines []string
	for _, doc := range []struct{ path, prefix string }{
		{"README.md", "telenor --fake "},
		{"../../README.md", "go -C cmd/telenor run . "},
	} {
		b, err := os.ReadFile(doc.path)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for line := range strings.Lines(string(b)) {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), doc.prefix); ok {
				lines = append(lines, rest)
				found++
			}
		}
		if found == 0 {
			t.Errorf("%s has no line starting %q", doc.path, doc.prefix)
		}
	}
	for _, line := range lines {
		cmdline, _, _ := strings.Cut(line, "#") // a trailing comment
		cmdline, _, _ = strings.Cut(cmdline, "|")
		args := strings.Fields(strings.ReplaceAll(cmdline, "'", ""))
		if args[0] != "--fake" {
			args = append([]string{"--fake"}, args...)
		}
		r := runCLI(t, nil, "", args...)
		if r.code != 0 || r.stdout == "" {
			t.Errorf("telenor %s: exit %d, %d bytes of output\n%s", strings.Join(args, " "), r.code, len(r.stdout), r.stderr)
		}
	}
}
