// Package telenorotel records what the Telenor SDK does as OpenTelemetry
// traces and metrics. It implements telenor.Observer with the OpenTelemetry
// API only: the application chooses the SDK and exporters.
//
//	cli, err := telenor.NewClient(telenor.Config{
//		ClientID: id, ClientSecret: secret,
//		Observer: telenorotel.New(), // the global TracerProvider and MeterProvider
//	})
//
// Every typed call (UserInfo, Organizations, each page of
// MobileSubscriptions, Logout…) is a span named "telenor.<Method>", with a
// client span per HTTP request it sends (the retries and the 401 replay
// included) named by HTTP semantic conventions ("GET /user-info/v1/users").
// A token fetch is a span "telenor.token" in the trace of the caller that
// triggered it, whether that caller waits for it or it refreshes ahead of
// expiry in the background. Metrics count token fetches, retries and 401
// replays and time token waits and API requests. docs/observability.md in
// the repository lists every span, attribute and metric.
//
// No attribute, event, span name or status holds a token, a secret, an
// authorization code, a state, a response body, an error message or
// personal data (the subscriber's number, name or address): errors are
// recorded by kind (error.type), never by text.
package telenorotel

import (
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/telenor-go/telenor/telenorotel"

// Option configures New.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider makes the Observer create spans with tp instead of
// the global TracerProvider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider makes the Observer record metrics with mp instead of
// the global MeterProvider.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// Observer implements telenor.Observer with OpenTelemetry. Create it with
// New and set it as telenor.Config.Observer; one serves any number of
// Clients and goroutines.
type Observer struct {
	tracer   trace.Tracer
	m        instruments
	known    map[string]*operationInfo // the SDK's operations; read-only
	ops      sync.Map                  // any other operation name → *operationInfo
	attempts sync.Map                  // attemptKey → *attemptInfo
}

var _ telenor.Observer = (*Observer)(nil)

// New returns an Observer that records with the global TracerProvider and
// MeterProvider (as set by otel.SetTracerProvider and
// otel.SetMeterProvider, at any time: the globals delegate), or with those
// the options give. An instrument the MeterProvider refuses is reported
// to otel.Handle and left out.
func New(opts ...Option) *Observer {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	version := trace.WithInstrumentationVersion(telenor.Version)
	return &Observer{
		tracer: c.tp.Tracer(ScopeName, version),
		known:  knownOperations(),
		m:      newInstruments(c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(telenor.Version))),
	}
}
