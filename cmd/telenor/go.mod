module github.com/telenor-go/telenor/cmd/telenor

go 1.25.0

replace github.com/telenor-go/telenor => ../..

require (
	github.com/creack/pty v1.1.24
	github.com/telenor-go/telenor v0.0.0-00010101000000-000000000000
	golang.org/x/oauth2 v0.36.0
	golang.org/x/sys v0.47.0
	golang.org/x/term v0.45.0
)
