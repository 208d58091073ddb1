package wire

import (
	"testing"
	"unicode/utf8"
)

func TestSnippet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		n    int
		want string
	}{
		{"short", "hello", 10, "hello"},
		{"exact", "hello", 5, "hello"},
		{"cut", "hello world", 5, "hello…"},
		{"empty", "", 5, ""},
		{"zero n", "abc", 0, "…"},
		{"negative n", "abc", -1, "…"},
		{"zero n empty", "", 0, ""},
		{"keeps newline and tab", "a\nb\tc", 10, "a\nb\tc"},
		{"drops CR", "a\r\nb", 10, "a\nb"},
		{"replaces controls", "a\x00b\x1bc\x7f", 10, "a\uFFFDb\uFFFDc\uFFFD"},
		{"invalid utf8", "a\xffb", 10, "a\uFFFDb"},
		{"no split rune", "aæb", 2, "a…"},
		{"rune fits", "aæb", 3, "aæ…"},
		{"no split 4-byte rune", "a😀", 4, "a…"},
		{"4-byte rune fits", "a😀b", 5, "a😀…"},
		{"html", "<html><body>502</body></html>", 12, "<html><body>…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Snippet([]byte(tt.body), tt.n)
			if got != tt.want {
				t.Fatalf("Snippet(%q, %d) = %q, want %q", tt.body, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("Snippet(%q, %d) = %q is not valid UTF-8", tt.body, tt.n, got)
			}
		})
	}
}
