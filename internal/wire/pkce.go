package wire

// PKCE verifier limits (RFC 7636 section 4.1).
const (
	MinPKCEVerifier = 43
	MaxPKCEVerifier = 128
)

// ValidPKCEVerifier reports whether v is a code_verifier RFC 7636 allows:
// 43 to 128 characters from A-Z, a-z, 0-9, "-", ".", "_" and "~".
func ValidPKCEVerifier(v string) bool {
	if len(v) < MinPKCEVerifier || len(v) > MaxPKCEVerifier {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		ok := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
		if !ok {
			return false
		}
	}
	return true
}
