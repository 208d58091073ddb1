package wire

import (
	"strings"
	"testing"
)

func TestValidPKCEVerifier(t *testing.T) {
	for v, want := range map[string]bool{
		strings.Repeat("a", 42):          false,
		strings.Repeat("a", 43):          true,
		strings.Repeat("Zz9-._~", 18):    true, // 126
		strings.Repeat("a", 128):         true,
		strings.Repeat("a", 129):         false,
		strings.Repeat("a", 42) + "+":    false,
		strings.Repeat("a", 42) + "=":    false,
		strings.Repeat("a", 42) + "é":    false,
		strings.Repeat("a", 42) + "\x00": false,
		"":                               false,
	} {
		if got := ValidPKCEVerifier(v); got != want {
			t.Errorf("ValidPKCEVerifier(%q) = %v, want %v", v, got, want)
		}
	}
}
