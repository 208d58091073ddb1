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

// benchSink keeps benchmark results alive so the compiler cannot drop the
// work that made them.
var benchSink any

// BenchmarkRestoreUserSession compares restoring an end user's session
// from a stored token, as a web app does per request, with what Go code
// would otherwise build for the same token: oauth2.ReuseTokenSource and
// oauth2.NewClient. The restore reads the token once (the caller's first
// use); the client the SDK builds on first use of HTTPClient.
func BenchmarkRestoreUserSession(b *testing.B) {
	srv := telenortest.NewUnstartedServer()
	cli := newTestClient(b, srv)
	tok := &oauth2.Token{AccessToken: "user-token", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	ctx := context.Background()
	b.Run("impl=RestoreUserSession", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := cli.RestoreUserSession(tok)
			if _, err := s.Token(ctx); err != nil {
				b.Fatal(err)
			}
			benchSink = s
		}
	})
	b.Run("impl=RestoreUserSession+HTTPClient", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchSink = cli.RestoreUserSession(tok).HTTPClient()
		}
	})
	b.Run("impl=ReuseTokenSource+NewClient", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchSink = oauth2.NewClient(ctx, oauth2.ReuseTokenSource(tok, oauth2.StaticTokenSource(tok)))
		}
	})
}
