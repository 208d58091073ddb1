package telenor_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestReadmeQuickStartCompiles type-checks the README's quick start
// against this module's source, so the first code a newcomer copies
// always compiles.
func TestReadmeQuickStartCompiles(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src := codeBlockAfter(t, string(readme), "## Quick start")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "README-quickstart.go", src, 0)
	if err != nil {
		t.Fatalf("README quick start does not parse: %v", err)
	}
	conf := types.Config{Importer: exportImporter(t, fset, f)}
	if _, err := conf.Check("main", fset, []*ast.File{f}, nil); err != nil {
		t.Fatalf("README quick start does not compile: %v", err)
	}
}

// exportImporter imports f's imports from the compiler's export data,
// which `go list -export` builds (or finds in the build cache).
func exportImporter(t *testing.T, fset *token.FileSet, f *ast.File) types.Importer {
	t.Helper()
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}"}
	for _, imp := range f.Imports {
		args = append(args, strings.Trim(imp.Path.Value, `"`))
	}
	out, err := exec.CommandContext(t.Context(), "go", args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	exports := map[string]string{}
	for line := range strings.Lines(string(out)) {
		if path, file, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			exports[path] = file
		}
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		return os.Open(exports[path])
	})
}

// codeBlockAfter returns the first ```go block after heading.
func codeBlockAfter(t *testing.T, doc, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	_, rest, ok = strings.Cut(rest, "```go\n")
	if !ok {
		t.Fatalf("no Go block after %q", heading)
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatalf("unterminated Go block after %q", heading)
	}
	return block
}
