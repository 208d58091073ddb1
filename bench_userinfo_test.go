package telenor

import (
	"context"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// BenchmarkUserInfo compares UserSession.UserInfo with the same request made
// the plain way, oauth2.NewClient plus encoding/json, against the same
// loopback server in the same run. Compare the two sub-benchmarks' ns/op
// and allocs/op.
func BenchmarkUserInfo(b *testing.B) {
	srv := telenortest.NewServer()
	cli := newTestClient(b, srv)
	token := srv.IssueUserToken()
	tok := &oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}

	b.Run("SDK", func(b *testing.B) {
		s := cli.RestoreUserSession(tok)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.UserInfo(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("oauth2+json", func(b *testing.B) {
		ctx := context.WithValue(b.Context(), oauth2.HTTPClient, srv.Client())
		hc := oauth2.NewClient(ctx, oauth2.StaticTokenSource(tok))
		b.ReportAllocs()
		for b.Loop() {
			if err := plainUserInfo(b.Context(), hc, srv.URL+telenortest.UserInfoPath); err != nil {
				b.Fatal(err)
			}
		}
	})
}
