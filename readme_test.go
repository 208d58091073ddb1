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
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// readmeMaxBytes keeps the README a front page (issue 14: at most 14 KB);
// depth belongs in docs/.
const readmeMaxBytes = 14 << 10

func TestReadmeSize(t *testing.T) {
	if n := len(readText(t, "README.md")); n > readmeMaxBytes {
		t.Errorf("README.md is %d bytes, over %d: move the depth to docs/", n, readmeMaxBytes)
	}
}

// TestReadmeTelenortestBlockRuns runs the README's telenortest block with
// go test, as the whole test file the README says it is.
func TestReadmeTelenortestBlockRuns(t *testing.T) {
	src := codeBlockAfter(t, readText(t, "README.md"), "## Test your code with telenortest")
	file := filepath.Join(t.TempDir(), "readme_test.go")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), "go", "test", "-count=1", "-v", file).CombinedOutput()
	if err != nil {
		t.Fatalf("go test of the README's telenortest block: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: Test") {
		t.Fatalf("the README's telenortest block ran no test:\n%s", out)
	}
}

// TestReadmeAndDocsLinksResolve checks every relative link and image in
// README.md and docs/*.md: the file exists, and an anchor into a Markdown
// file names one of its headings (as GitHub makes them).
func TestReadmeAndDocsLinksResolve(t *testing.T) {
	docs, err := filepath.Glob("docs/*.md")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no docs/*.md: %v", err)
	}
	for _, doc := range append([]string{"README.md"}, docs...) {
		for _, target := range localLinks(readText(t, doc)) {
			path, anchor, _ := strings.Cut(target, "#")
			file := doc
			if path != "" {
				file = filepath.Join(filepath.Dir(doc), path)
			}
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s: link %q: %v", doc, target, err)
				continue
			}
			if anchor != "" && strings.HasSuffix(file, ".md") && !slices.Contains(headingAnchors(readText(t, file)), anchor) {
				t.Errorf("%s: link %q: %s has no heading with that anchor", doc, target, file)
			}
		}
	}
}

var linkTarget = regexp.MustCompile(`\]\(([^)\s]+)\)|<img src="([^"]+)"`)

// localLinks returns the targets of doc's links and images outside code
// blocks, leaving out those with a scheme (https:, mailto:).
func localLinks(doc string) []string {
	var links []string
	for line := range proseLines(doc) {
		for _, m := range linkTarget.FindAllStringSubmatch(line, -1) {
			target := m[1] + m[2]
			if !strings.Contains(target, ":") {
				links = append(links, target)
			}
		}
	}
	return links
}

// headingAnchors returns the anchors GitHub gives doc's headings:
// lower case, spaces as hyphens, other punctuation dropped.
func headingAnchors(doc string) []string {
	var anchors []string
	for line := range proseLines(doc) {
		text, ok := strings.CutPrefix(line, "#")
		if !ok {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(strings.TrimLeft(text, "#"))) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		anchors = append(anchors, b.String())
	}
	return anchors
}

// proseLines yields doc's lines outside fenced code blocks.
func proseLines(doc string) func(func(string) bool) {
	return func(yield func(string) bool) {
		inCode := false
		for line := range strings.Lines(doc) {
			if strings.HasPrefix(line, "```") {
				inCode = !inCode
				continue
			}
			if !inCode && !yield(strings.TrimRight(line, "\n")) {
				return
			}
		}
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReadmeQuickStartCompiles type-checks the README's quick start
// against this module's source, so the first code a newcomer copies
// always compiles.
func TestReadmeQuickStartCompiles(t *testing.T) {
	src := codeBlockAfter(t, readText(t, "README.md"), "## Quick start")
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
