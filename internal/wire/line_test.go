package wire

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestOneLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 10, "plain"},
		{" a\r\nb\tc\n", 10, "a b c"},
		{"esc\x1b[31m \u202eflip \x00\xff", 40, "esc\uFFFD[31m \uFFFDflip \uFFFD\uFFFD"},
		{"ææææ", 2, "ææ…"},
		{"ab   cd", 3, "ab…"},
		{"x", 0, "…"},
	} {
		if got := OneLine(tc.in, tc.max); got != tc.want {
			t.Errorf("OneLine(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	long := OneLine(strings.Repeat("€", 1000), 200)
	if n := utf8.RuneCountInString(long); n != 201 || !utf8.ValidString(long) {
		t.Errorf("%d runes, valid %v", n, utf8.ValidString(long))
	}
}
