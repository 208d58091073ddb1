package telenorotel_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenorotel"
)

// BenchmarkHooks is what telenorotel adds to one successful UserInfo,
// without the request: the operation's and the attempt's spans and the
// duration metric (impl=telenorotel), beside the same two spans, with the
// same attributes, and the same measurement written by hand against the
// OpenTelemetry API (impl=otel-by-hand): the floor that any
// instrumentation recording them pays to the OpenTelemetry SDK.
func BenchmarkHooks(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	ctx := context.Background()
	b.Run("impl=telenorotel", func(b *testing.B) {
		o := telenorotel.New(telenorotel.WithTracerProvider(tp), telenorotel.WithMeterProvider(mp))
		op := telenor.Operation{Name: "UserInfo", Method: "GET", Route: "/user-info/v1/users", Page: -1}
		a := telenor.Attempt{Operation: "UserInfo", Method: "GET", Route: "/user-info/v1/users", Host: "api.telenor.no", Port: 443, Number: 1}
		b.ReportAllocs()
		for b.Loop() {
			octx := o.OperationStart(ctx, op)
			actx := o.AttemptStart(octx, a)
			a.Status = 200
			o.AttemptEnd(actx, a)
			op.Status, op.Attempts = 200, 1
			o.OperationEnd(octx, op)
		}
	})
	b.Run("impl=otel-by-hand", func(b *testing.B) {
		tracer := tp.Tracer("by-hand")
		h, err := mp.Meter("by-hand").Float64Histogram("duration")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			octx, op := tracer.Start(ctx, "telenor.UserInfo", trace.WithSpanKind(trace.SpanKindInternal))
			_, at := tracer.Start(octx, "GET /user-info/v1/users", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
				attribute.String("http.request.method", "GET"), attribute.String("server.address", "api.telenor.no"),
				attribute.Int("server.port", 443), attribute.String("url.template", "/user-info/v1/users")))
			at.SetAttributes(attribute.Int("http.response.status_code", 200))
			at.End()
			op.SetAttributes(attribute.String("telenor.operation", "UserInfo"), attribute.Int("telenor.attempts", 1),
				attribute.Int("http.response.status_code", 200))
			op.End()
			h.Record(octx, 0.05, metric.WithAttributes(attribute.String("telenor.operation", "UserInfo"), attribute.String("telenor.status_class", "2xx")))
		}
	})
}
