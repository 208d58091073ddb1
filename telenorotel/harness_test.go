package telenorotel_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenorotel"
	"github.com/telenor-go/telenor/telenortest"
)

// harness is an in-process fake gateway and a Client observed by
// telenorotel, recording into an in-memory span recorder and a manual
// metric reader. It works inside testing/synctest bubbles.
type harness struct {
	srv    *telenortest.Server
	cli    *telenor.Client
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
}

func newHarness(t testing.TB, edit func(*telenor.Config), opts ...telenortest.Option) *harness {
	t.Helper()
	h := &harness{srv: telenortest.NewUnstartedServer(opts...), spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(h.srv.Close)
	cfg := telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: "http://127.0.0.1", HTTPClient: h.srv.Client(),
		Observer: telenorotel.New(telenorotel.WithTracerProvider(h.tp), telenorotel.WithMeterProvider(mp)),
	}
	if edit != nil {
		edit(&cfg)
	}
	cli, err := telenor.NewClient(cfg)
	require.NoError(t, err)
	h.cli = cli
	return h
}

func (h *harness) system() *telenor.SystemSession {
	return h.cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
}

func (h *harness) user() *telenor.UserSession {
	return h.cli.RestoreUserSession(&oauth2.Token{AccessToken: h.srv.IssueUserToken(), Expiry: time.Now().Add(time.Hour)})
}

// caller runs f under a span of the test's own, as an instrumented
// handler would, and returns that span's context.
func (h *harness) caller(ctx context.Context, f func(context.Context)) trace.SpanContext {
	ctx, span := h.tp.Tracer("test").Start(ctx, "caller")
	f(ctx)
	span.End()
	return span.SpanContext()
}

// tree renders the spans below root, one a line, indented by depth:
// name, kind, status, time taken, attributes (sorted), then events.
// Siblings are in order of start, then name (a background fetch and the
// request that triggered it start at the same virtual instant).
func (h *harness) tree(root trace.SpanContext) string {
	children := map[trace.SpanID][]sdktrace.ReadOnlySpan{}
	for _, s := range h.spans.Ended() {
		children[s.Parent().SpanID()] = append(children[s.Parent().SpanID()], s)
	}
	var b strings.Builder
	var walk func(id trace.SpanID, depth int)
	walk = func(id trace.SpanID, depth int) {
		kids := children[id]
		slices.SortStableFunc(kids, func(x, y sdktrace.ReadOnlySpan) int {
			if c := x.StartTime().Compare(y.StartTime()); c != 0 {
				return c
			}
			return strings.Compare(x.Name(), y.Name())
		})
		for _, s := range kids {
			ind := strings.Repeat("  ", depth)
			fmt.Fprintf(&b, "%s%s %s", ind, s.Name(), s.SpanKind())
			if st := s.Status(); st.Code != 0 {
				fmt.Fprintf(&b, " %s(%s)", st.Code, st.Description)
			}
			fmt.Fprintf(&b, " %s %s\n", s.EndTime().Sub(s.StartTime()), attrs(s.Attributes()))
			for _, e := range s.Events() {
				fmt.Fprintf(&b, "%s  · %s %s\n", ind, e.Name, attrs(e.Attributes))
			}
			walk(s.SpanContext().SpanID(), depth+1)
		}
	}
	walk(root.SpanID(), 0)
	return b.String()
}

// traceIDs returns the trace ids of every span recorded, but root's own.
func (h *harness) traceIDs(root trace.SpanContext) map[trace.TraceID]int {
	ids := map[trace.TraceID]int{}
	for _, s := range h.spans.Ended() {
		if s.SpanContext().SpanID() != root.SpanID() {
			ids[s.SpanContext().TraceID()]++
		}
	}
	return ids
}

func attrs(kvs []attribute.KeyValue) string {
	parts := make([]string, 0, len(kvs))
	for _, kv := range kvs {
		parts = append(parts, string(kv.Key)+"="+kv.Value.String())
	}
	slices.Sort(parts)
	return "{" + strings.Join(parts, " ") + "}"
}

// metrics renders telenorotel's data points, one a line, sorted: counters
// as name{attrs} = n, histograms as name{attrs} count=n sum=s.
func (h *harness) metrics(t testing.TB) []string {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	var out []string
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != telenorotel.ScopeName {
			continue
		}
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out = append(out, fmt.Sprintf("%s%s = %d", m.Name, attrs(p.Attributes.ToSlice()), p.Value))
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out = append(out, fmt.Sprintf("%s%s count=%d sum=%g", m.Name, attrs(p.Attributes.ToSlice()), p.Count, p.Sum))
				}
			default:
				t.Fatalf("unexpected metric %s of %T", m.Name, d)
			}
		}
	}
	slices.Sort(out)
	return out
}

// lines splits a rendered tree for a readable diff.
func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
