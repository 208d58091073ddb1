package telenorotel

import (
	"context"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
)

// The SDK's own attributes. Their values are names, counts and codes
// chosen by the SDK or Telenor's gateway, never a caller's data.
const (
	attrOperation   = attribute.Key("telenor.operation")    // SDK method: "UserInfo"
	attrAttempts    = attribute.Key("telenor.attempts")     // requests an operation sent
	attrGatewayCode = attribute.Key("telenor.gateway_code") // Telenor's error code: 42902
	attrPage        = attribute.Key("telenor.page")         // page index of a paged list
	attrItems       = attribute.Key("telenor.items")        // items in a list's answer
	attrRetryWait   = attribute.Key("telenor.retry.wait")   // s before the next attempt
	attrReplay      = attribute.Key("telenor.replay")       // a 401 replay follows
	attrGrant       = attribute.Key("telenor.token.grant")  // "password", "authorization_code"
	attrTrigger     = attribute.Key("telenor.token.trigger")
	attrResult      = attribute.Key("telenor.token.result")
	attrWaited      = attribute.Key("telenor.token.wait")   // s a caller waited (event)
	attrStatusClass = attribute.Key("telenor.status_class") // "2xx" … "5xx", "none"
)

// OperationStart starts the span of one typed call. Its attributes are
// all set at the end, in one go: each SetAttributes costs the OpenTelemetry
// SDK an allocation, and the span's name already says the operation.
func (o *Observer) OperationStart(ctx context.Context, op telenor.Operation) context.Context {
	info := o.operation(op.Name)
	ctx, _ = o.tracer.Start(ctx, info.span, info.start...)
	return ctx
}

// OperationEnd ends the typed call's span and records its duration.
func (o *Observer) OperationEnd(ctx context.Context, op telenor.Operation) {
	info := o.operation(op.Name)
	o.m.requestDuration.Record(ctx, op.Duration.Seconds(), info.duration[classOf(op.Status)]...)
	span := trace.SpanFromContext(ctx)
	switch {
	case !span.IsRecording():
		span.End()
		return
	case op.Err == nil && op.Attempts == 1 && op.Status == 200 && op.Page < 0 && !info.list:
		span.SetAttributes(info.firstTimeOK...) // the common case, without building a slice
		span.End()
		return
	}
	attrs := make([]attribute.KeyValue, 0, 7)
	attrs = append(attrs, info.operation, attrAttempts.Int(op.Attempts))
	if op.Page >= 0 {
		attrs = append(attrs, attrPage.Int(op.Page))
	}
	if op.Status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(op.Status))
	}
	if op.GatewayCode != 0 {
		attrs = append(attrs, attrGatewayCode.Int(op.GatewayCode))
	}
	if info.list && op.Err == nil {
		attrs = append(attrs, attrItems.Int(op.Items))
	}
	if op.Err != nil {
		et := errorType(op.Err)
		attrs = append(attrs, semconv.ErrorTypeKey.String(et))
		span.SetStatus(codes.Error, et)
	}
	span.SetAttributes(attrs...)
	span.End()
}

// AttemptStart starts the client span of one HTTP request. Below another
// span (the operation's, or the caller's) the request attributes wait for
// the end, where they go in with the response's in one SetAttributes:
// passed at the start, the OpenTelemetry SDK copies them twice more, even
// for a span it does not record, and a sampler deciding on a child by its
// parent (ParentBased, the default) does not read them. A span without a
// parent gets them at its start too, for the sampler that decides on it.
func (o *Observer) AttemptStart(ctx context.Context, a telenor.Attempt) context.Context {
	info := o.attempt(a)
	if trace.SpanContextFromContext(ctx).IsValid() {
		ctx, _ = o.tracer.Start(ctx, info.span, info.deferred...)
		return ctx
	}
	opts := info.start
	if a.Number > 1 {
		opts = append(opts[:len(opts):len(opts)], trace.WithAttributes(semconv.HTTPRequestResendCount(a.Number-1)))
	}
	ctx, _ = o.tracer.Start(ctx, info.span, opts...)
	return ctx
}

// AttemptEnd ends the request's span, setting all its attributes (again,
// for a span that got the request's at its start: the last value of a key
// wins), and counts a retry or a replay.
func (o *Observer) AttemptEnd(ctx context.Context, a telenor.Attempt) {
	info := o.attempt(a)
	op := info.op
	if a.Retry {
		o.m.retries.Add(ctx, 1, op.retries[classOf(a.Status)]...)
	}
	if a.Replay {
		o.m.replays.Add(ctx, 1, op.replays...)
	}
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		span.End()
		return
	}
	if a.Status == 200 && a.Number == 1 && !a.Retry && !a.Replay {
		span.SetAttributes(info.firstTimeOK...) // the common case, without building a slice
		span.End()
		return
	}
	attrs := make([]attribute.KeyValue, 0, len(info.request)+6)
	attrs = append(attrs, info.request...)
	if a.Number > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(a.Number-1))
	}
	switch {
	case a.Status != 0:
		attrs = append(attrs, semconv.HTTPResponseStatusCode(a.Status))
		if a.Status >= 400 { // semantic conventions: a client span's 4xx and 5xx are errors
			et := strconv.Itoa(a.Status)
			attrs = append(attrs, semconv.ErrorTypeKey.String(et))
			span.SetStatus(codes.Error, et)
		}
	case a.Err != nil:
		et := errorType(a.Err)
		attrs = append(attrs, semconv.ErrorTypeKey.String(et))
		span.SetStatus(codes.Error, et)
	}
	if a.GatewayCode != 0 {
		attrs = append(attrs, attrGatewayCode.Int(a.GatewayCode))
	}
	if a.Retry {
		attrs = append(attrs, attrRetryWait.Float64(a.RetryWait.Seconds()))
	}
	if a.Replay {
		attrs = append(attrs, attrReplay.Bool(true))
	}
	span.SetAttributes(attrs...)
	span.End()
}

// TokenFetchStart starts the span of a token fetch, in the trace of the
// caller that triggered it.
func (o *Observer) TokenFetchStart(ctx context.Context, f telenor.TokenFetch) context.Context {
	ctx, _ = o.tracer.Start(ctx, "telenor.token", trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(attrGrant.String(f.Grant), attrTrigger.String(trigger(f))))
	return ctx
}

// TokenFetchEnd ends the fetch's span and counts it.
func (o *Observer) TokenFetchEnd(ctx context.Context, f telenor.TokenFetch) {
	span := trace.SpanFromContext(ctx)
	result := tokenResult(f.Err)
	span.SetAttributes(attrResult.String(result))
	if f.Err != nil {
		et := errorType(f.Err)
		span.SetAttributes(semconv.ErrorTypeKey.String(et))
		span.SetStatus(codes.Error, et)
	}
	span.End()
	o.m.tokenFetches.Add(ctx, 1, metric.WithAttributes(
		attrGrant.String(f.Grant), attrTrigger.String(trigger(f)), attrResult.String(result)))
}

// TokenWait records a caller's wait for the shared fetch, as a metric and
// as an event on the caller's span.
func (o *Observer) TokenWait(ctx context.Context, w telenor.TokenWait) {
	result := waitResult(w.Err)
	o.m.tokenWait.Record(ctx, w.Duration.Seconds(), metric.WithAttributes(attrResult.String(result)))
	trace.SpanFromContext(ctx).AddEvent("telenor.token.wait", trace.WithAttributes(
		attrResult.String(result), attrWaited.Float64(w.Duration.Seconds())))
}

// trigger is a fetch's telenor.token.trigger: "background" or "waited".
func trigger(f telenor.TokenFetch) string {
	if f.Background {
		return "background"
	}
	return "waited"
}
