package telenorotel_test

import (
	"context"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenorotel"
)

// BenchmarkHooks is what telenorotel adds to one successful UserInfo,
// without the request: the operation's and the attempt's spans and the
// duration metric.
func BenchmarkHooks(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	o := telenorotel.New(telenorotel.WithTracerProvider(tp), telenorotel.WithMeterProvider(mp))
	op := telenor.Operation{Name: "UserInfo", Method: "GET", Route: "/user-info/v1/users", Page: -1}
	a := telenor.Attempt{Operation: "UserInfo", Method: "GET", Route: "/user-info/v1/users", Host: "api.telenor.no", Port: 443, Number: 1}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		octx := o.OperationStart(ctx, op)
		actx := o.AttemptStart(octx, a)
		a.Status = 200
		o.AttemptEnd(actx, a)
		op.Status, op.Attempts = 200, 1
		o.OperationEnd(octx, op)
	}
}
