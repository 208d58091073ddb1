package telenor

import (
	"context"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// staticSource hands out one long-lived token, so ReuseTokenSource's cost
// is its own locking and expiry check, not the fetch.
type staticSource struct{ tok *oauth2.Token }

func (s staticSource) Token() (*oauth2.Token, error) { return s.tok, nil }

// BenchmarkToken compares a hot cached read from a Session with
// oauth2.ReuseTokenSource, the cache most Go code uses. Run with
// -cpu 1,2,64: the Session's read is two atomic loads and scales with
// cores, while ReuseTokenSource takes a mutex and reads the clock.
func BenchmarkToken(b *testing.B) {
	b.Run("impl=Session", func(b *testing.B) {
		srv := telenortest.NewServer()
		s := systemSession(newTestClient(b, srv))
		ctx := context.Background()
		if _, err := s.Token(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Token(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("impl=ReuseTokenSource", func(b *testing.B) {
		tok := &oauth2.Token{AccessToken: "x", Expiry: time.Now().Add(time.Hour)}
		ts := oauth2.ReuseTokenSource(tok, staticSource{tok})
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := ts.Token(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
