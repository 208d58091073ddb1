package telenorotel_test

import (
	"context"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenorotel"
	"github.com/telenor-go/telenor/telenortest"
)

// discard is a span exporter that drops what it is given.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// BenchmarkUserInfo puts UserSession.UserInfo with telenorotel beside the
// same call without an Observer, on one loopback server in the same run.
// The instrumented one records every span (always sampled, through a
// batch processor to an exporter that drops them) and every metric (a
// manual reader), as a production set-up does. Compare the sub-benchmarks'
// ns/op: the target is within 1.10×.
func BenchmarkUserInfo(b *testing.B) {
	srv := telenortest.NewServer()
	b.Cleanup(srv.Close)
	tok := &oauth2.Token{AccessToken: srv.IssueUserToken(), Expiry: time.Now().Add(time.Hour)}
	client := func(obs telenor.Observer) *telenor.Client {
		cli, err := telenor.NewClient(telenor.Config{
			ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: srv.URL, HTTPClient: srv.Client(), Observer: obs,
		})
		if err != nil {
			b.Fatal(err)
		}
		return cli
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	unsampled := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}), sdktrace.WithSampler(sdktrace.NeverSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = unsampled.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	for _, bc := range []struct {
		name string
		obs  telenor.Observer
	}{
		{"observer=none", nil},
		{"observer=telenorotel", telenorotel.New(telenorotel.WithTracerProvider(tp), telenorotel.WithMeterProvider(mp))},
		{"observer=telenorotel-unsampled", telenorotel.New(telenorotel.WithTracerProvider(unsampled), telenorotel.WithMeterProvider(mp))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := client(bc.obs).RestoreUserSession(tok)
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.UserInfo(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkUserInfoPaired measures the same two sessions as
// BenchmarkUserInfo, one call of each per iteration in alternating order,
// so that both see the same load: on a shared machine the separate
// sub-benchmarks drift by more than the difference measured. It reports
// ratio, the instrumented calls' total time over the plain ones'.
func BenchmarkUserInfoPaired(b *testing.B) {
	srv := telenortest.NewServer()
	b.Cleanup(srv.Close)
	tok := &oauth2.Token{AccessToken: srv.IssueUserToken(), Expiry: time.Now().Add(time.Hour)}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	session := func(obs telenor.Observer) *telenor.UserSession {
		cli, err := telenor.NewClient(telenor.Config{
			ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: srv.URL, HTTPClient: srv.Client(), Observer: obs,
		})
		if err != nil {
			b.Fatal(err)
		}
		return cli.RestoreUserSession(tok)
	}
	plain := session(nil)
	observed := session(telenorotel.New(telenorotel.WithTracerProvider(tp), telenorotel.WithMeterProvider(mp)))
	ctx := b.Context()
	call := func(s *telenor.UserSession) time.Duration {
		start := time.Now()
		if _, err := s.UserInfo(ctx); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var tPlain, tObserved time.Duration
	i := 0
	for b.Loop() {
		if i++; i%2 == 0 {
			tPlain += call(plain)
			tObserved += call(observed)
		} else {
			tObserved += call(observed)
			tPlain += call(plain)
		}
	}
	b.ReportMetric(float64(tObserved)/float64(tPlain), "ratio")
	b.ReportMetric(float64(tPlain.Nanoseconds())/float64(i), "plain-ns/call")
	b.ReportMetric(float64(tObserved.Nanoseconds())/float64(i), "observed-ns/call")
}
