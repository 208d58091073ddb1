package telenortest

// Paths the server serves. They match the paths of the real gateway.
const (
	// PasswordTokenPath is the token endpoint of Telenor's password-grant
	// specification.
	PasswordTokenPath = "/oauth/token"
	// TokenPath is the v2 token endpoint. It serves the same grants as
	// PasswordTokenPath.
	TokenPath = "/oauth/v2/token"
)
