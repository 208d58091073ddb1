package telenorotel_test

import (
	"context"
	"fmt"
	"log"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenorotel"
	"github.com/telenor-go/telenor/telenortest"
)

// The set-up: one field of telenor.Config. Spans and metrics go to the
// global providers, which the application configures with its exporters
// (otel.SetTracerProvider, otel.SetMeterProvider).
func ExampleNew() {
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: "my-client-id", ClientSecret: "my-client-secret",
		Observer: telenorotel.New(),
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = cli.PasswordGrant("API1000XYZ", "system-user-password")
}

// A system user's call inside the application's own span, against the
// fake gateway: the SDK's operation span, the token fetch it waited for
// and the HTTP request are all in the application's trace. Here they are
// recorded in memory; an application would export them.
func Example() {
	srv := telenortest.NewServer()
	defer srv.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))

	cli, err := telenor.NewClient(telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:  srv.URL,
		Observer: telenorotel.New(telenorotel.WithTracerProvider(tp), telenorotel.WithMeterProvider(mp)),
	})
	if err != nil {
		log.Fatal(err)
	}
	sys := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)

	ctx, span := tp.Tracer("app").Start(context.Background(), "handle request")
	orgs, err := sys.Organizations(ctx)
	span.End()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(orgs), "organizations")

	names := map[trace.SpanID]string{}
	for _, s := range spans.Ended() {
		names[s.SpanContext().SpanID()] = s.Name()
	}
	for _, s := range spans.Ended() {
		same := s.SpanContext().TraceID() == span.SpanContext().TraceID()
		fmt.Printf("%s (in %q, same trace: %v)\n", s.Name(), names[s.Parent().SpanID()], same)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		log.Fatal(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		fmt.Println(m.Name)
	}
	// Output:
	// 3 organizations
	// telenor.token (in "telenor.Organizations", same trace: true)
	// GET /organizations/v1/organizations (in "telenor.Organizations", same trace: true)
	// telenor.Organizations (in "handle request", same trace: true)
	// handle request (in "", same trace: true)
	// telenor.token.fetches
	// telenor.token.wait.duration
	// telenor.api.request.duration
}
