// Command systemuser is examples/systemuser with OpenTelemetry: workers
// sharing one telenor.SystemSession list the organizations and page
// through the mobile subscriptions, each round under a span of its own,
// and telenorotel records the SDK's spans and metrics. With -stdout the
// OpenTelemetry stdout exporters print every span and, at the end, every
// metric to standard output; the logs go to standard error and carry the
// trace and span id of the call that wrote them.
//
//	go run ./examples/systemuser -stdout
//	go run ./examples/systemuser -stdout -workers 2 -rounds 1 2>/dev/null | jq .Name
//
// It lives in the telenorotel module, not beside examples/systemuser:
// the SDK's own module depends on golang.org/x/oauth2 alone, and an
// example there importing OpenTelemetry would add it to that module's
// requirements.
//
// Without TELENOR_CLIENT_ID it starts the fake gateway in-process, whose
// first organizations request answers 429 (spike arrest, Retry-After 1 s)
// so that a retry shows in the trace. Against Telenor set
// TELENOR_CLIENT_ID, TELENOR_CLIENT_SECRET, TELENOR_USERNAME,
// TELENOR_PASSWORD and optionally TELENOR_BASE_URL; secrets are read from
// the environment only, and nothing it prints holds one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenorotel"
	"github.com/telenor-go/telenor/telenortest"
)

func main() {
	c, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "systemuser:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, c, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "systemuser:", err)
		os.Exit(1)
	}
}

// config is what the flags and the environment say.
type config struct {
	telenor.Config
	username, password string
	workers, rounds    int
	stdout             bool
}

// parseConfig reads args over the environment (getenv); usage and flag
// errors go to out. Secrets come from the environment only.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (config, error) {
	c := config{Config: telenor.Config{
		ClientID: getenv("TELENOR_CLIENT_ID"), ClientSecret: getenv("TELENOR_CLIENT_SECRET"), BaseURL: getenv("TELENOR_BASE_URL"),
	}, username: getenv("TELENOR_USERNAME"), password: getenv("TELENOR_PASSWORD")}
	fs := flag.NewFlagSet("systemuser", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.BoolVar(&c.stdout, "stdout", false, "print spans and metrics to stdout (OpenTelemetry stdout exporters)")
	fs.IntVar(&c.workers, "workers", 4, "goroutines sharing the one session")
	fs.IntVar(&c.rounds, "rounds", 2, "rounds per worker")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %q; run with -h for help", fs.Arg(0))
	case c.workers < 1 || c.rounds < 1:
		return c, errors.New("-workers and -rounds must be at least 1")
	}
	return c, nil
}

// run sets up telemetry (to stdout with -stdout, else none), runs the
// workers and flushes what was recorded. Logs go to logs.
func run(ctx context.Context, c config, stdout, logs io.Writer) error {
	var tp trace.TracerProvider = noop.NewTracerProvider()
	var opts []telenorotel.Option
	if c.stdout {
		sdkTP, mp, err := stdoutProviders(stdout)
		if err != nil {
			return err
		}
		defer func() { _ = sdkTP.Shutdown(context.Background()) }() // runs last: spans, then metrics
		defer func() { _ = mp.Shutdown(context.Background()) }()
		tp = sdkTP
		opts = append(opts, telenorotel.WithTracerProvider(sdkTP), telenorotel.WithMeterProvider(mp))
	}
	log := slog.New(traceIDs{slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})})
	if c.ClientID == "" {
		srv := telenortest.NewServer()
		defer srv.Close()
		srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 429, Code: telenor.CodeSpikeArrest, RetryAfter: "1"})
		log.Info("no credentials set: using the fake Telenor gateway in-process", "base_url", srv.URL)
		c.ClientID, c.ClientSecret, c.BaseURL = telenortest.DefaultClientID, telenortest.DefaultClientSecret, srv.URL
		c.username, c.password = telenortest.DefaultUsername, telenortest.DefaultPassword
	}
	c.Logger = log
	c.Observer = telenorotel.New(opts...) // the whole set-up; without options, the global providers
	cli, err := telenor.NewClient(c.Config)
	if err != nil {
		return err
	}
	return work(ctx, c, cli.PasswordGrant(c.username, c.password), tp.Tracer("systemuser"), log)
}

// stdoutProviders returns a TracerProvider that prints each span as it
// ends and a MeterProvider that prints every metric when shut down.
func stdoutProviders(out io.Writer) (*sdktrace.TracerProvider, *sdkmetric.MeterProvider, error) {
	spans, err := stdouttrace.New(stdouttrace.WithWriter(out), stdouttrace.WithPrettyPrint())
	if err != nil {
		return nil, nil, err
	}
	metrics, err := stdoutmetric.New(stdoutmetric.WithWriter(out), stdoutmetric.WithPrettyPrint())
	if err != nil {
		return nil, nil, err
	}
	return sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans)),
		sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics))), nil
}

// work runs c.workers workers of c.rounds rounds on one session, each
// round under a span of its own, and logs a summary.
func work(ctx context.Context, c config, sys *telenor.SystemSession, tracer trace.Tracer, log *slog.Logger) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures int
	for id := range c.workers {
		wg.Go(func() {
			for i := range c.rounds {
				if err := round(ctx, sys, tracer, id, i); err != nil {
					log.ErrorContext(ctx, "round failed", "worker", id, "round", i, "err", err)
					mu.Lock()
					failures++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	log.Info("done", "workers", c.workers, "rounds", c.rounds, "failures", failures)
	if failures > 0 {
		return fmt.Errorf("%d rounds failed", failures)
	}
	return nil
}

// round lists the organizations and pages through the subscriptions
// under one span: the SDK's spans become its children.
func round(ctx context.Context, sys *telenor.SystemSession, tracer trace.Tracer, worker, i int) error {
	ctx, span := tracer.Start(ctx, "round", trace.WithAttributes(attribute.Int("worker", worker), attribute.Int("round", i)))
	defer span.End()
	if _, err := sys.Organizations(ctx); err != nil {
		return err
	}
	for _, err := range sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{PageSize: 50}) {
		if err != nil {
			return err
		}
	}
	return nil
}

// traceIDs adds the trace and span id of a record's context to it: the
// SDK logs through slog's *Context calls, so its logs join the trace of
// the call that wrote them.
type traceIDs struct{ slog.Handler }

// Handle implements slog.Handler.
func (h traceIDs) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h traceIDs) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceIDs{h.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h traceIDs) WithGroup(name string) slog.Handler { return traceIDs{h.Handler.WithGroup(name)} }
