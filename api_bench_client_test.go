package telenor

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// cannedTransport answers every request at once with a small 200, with no
// server and no network: what remains to measure is the client's own work.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{}`)),
		Request:    req,
	}, nil
}

// BenchmarkAuthorizedGETClientSide is BenchmarkAuthorizedGET without the
// loopback server: the three clients send through cannedTransport, so the
// figures are the client-side cost of adding the token (lock-free token
// read, host check, header copy) free of the server's and the kernel's
// run-to-run noise.
func BenchmarkAuthorizedGETClientSide(b *testing.B) {
	const url = "https://api.telenor.no/user-info/v1/users"
	hc := &http.Client{Transport: cannedTransport{}}
	cli, err := NewClient(Config{ClientID: "id", ClientSecret: "secret", HTTPClient: hc})
	if err != nil {
		b.Fatal(err)
	}
	tok := &oauth2.Token{AccessToken: "bench-token", Expiry: time.Now().Add(time.Hour)}
	benchGET(b, cli.RestoreUserSession(tok).HTTPClient(), hc, tok, url)
}
