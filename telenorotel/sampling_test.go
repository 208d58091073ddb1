package telenorotel_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenorotel"
)

// seenSampler samples everything and keeps the attributes each span it
// was asked about had at its start.
type seenSampler struct {
	mu   sync.Mutex
	seen []string
}

func (s *seenSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, p.Name+" "+attrs(p.Attributes))
	return sdktrace.SamplingResult{Decision: sdktrace.RecordAndSample, Tracestate: trace.SpanContextFromContext(p.ParentContext).TraceState()}
}

func (*seenSampler) Description() string { return "seen" }

// An attempt's client span below another span gets its request
// attributes at its end, with the response's; one without a parent (a
// request through a session's HTTPClient outside any span) gets them at
// its start too, for the sampler deciding on it. Either way the span ends
// with the same attributes, each once.
func TestAttemptAttributesForSamplers(t *testing.T) {
	sampler := &seenSampler{}
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec), sdktrace.WithSampler(sampler))
	o := telenorotel.New(telenorotel.WithTracerProvider(tp))
	a := telenor.Attempt{Operation: "UserInfo", Method: "GET", Route: "/user-info/v1/users", Host: "api.telenor.no", Port: 443, Number: 2}
	end := a
	end.Status, end.GatewayCode, end.Retry = 503, 50301, true

	o.AttemptEnd(o.AttemptStart(context.Background(), a), end) // no parent
	ctx, parent := tp.Tracer("test").Start(context.Background(), "caller")
	o.AttemptEnd(o.AttemptStart(ctx, a), end)
	parent.End()

	const request = "http.request.method=GET http.request.resend_count=1 server.address=api.telenor.no server.port=443 url.template=/user-info/v1/users"
	assert.Equal(t, []string{"GET /user-info/v1/users {" + request + "}", "caller {}", "GET /user-info/v1/users {}"}, sampler.seen)
	spans := rec.Ended()
	require.Len(t, spans, 3)
	const final = "{error.type=503 http.request.method=GET http.request.resend_count=1 http.response.status_code=503" +
		" server.address=api.telenor.no server.port=443 telenor.gateway_code=50301 telenor.retry.wait=0 url.template=/user-info/v1/users}"
	for _, s := range []sdktrace.ReadOnlySpan{spans[0], spans[1]} {
		assert.Equal(t, final, attrs(s.Attributes()), s.Parent().IsValid())
		set := attribute.NewSet(s.Attributes()...)
		assert.Equal(t, len(s.Attributes()), set.Len(), "each key once")
	}
}
