package telenorotel

import (
	"context"
	"errors"
	"net"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/telenor-go/telenor"
)

// instruments are the Observer's metrics; see docs/observability.md.
type instruments struct {
	tokenFetches    metric.Int64Counter
	tokenWait       metric.Float64Histogram
	requestDuration metric.Float64Histogram
	retries         metric.Int64Counter
	replays         metric.Int64Counter
}

// durationBuckets (seconds) are the semantic conventions' for HTTP client
// durations, extended to the SDK's longest waits (Retry-After and the
// token timeout, 30 s by default).
var durationBuckets = []float64{.005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10, 30, 60}

func newInstruments(m metric.Meter) instruments {
	var errs []error
	counter := func(name, unit, desc string) metric.Int64Counter {
		c, err := m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		if err != nil {
			errs = append(errs, err)
			return noop.Int64Counter{}
		}
		return c
	}
	histogram := func(name, desc string) metric.Float64Histogram {
		h, err := m.Float64Histogram(name, metric.WithUnit("s"), metric.WithDescription(desc),
			metric.WithExplicitBucketBoundaries(durationBuckets...))
		if err != nil {
			errs = append(errs, err)
			return noop.Float64Histogram{}
		}
		return h
	}
	in := instruments{
		tokenFetches: counter("telenor.token.fetches", "{fetch}",
			"Token fetches: a system session's shared fetch (retries included) or a code exchange."),
		tokenWait: histogram("telenor.token.wait.duration",
			"How long a caller waited for a system session's shared token fetch."),
		requestDuration: histogram("telenor.api.request.duration",
			"Duration of an SDK API operation, token waits, retries and the 401 replay included."),
		retries: counter("telenor.api.retries", "{retry}",
			"API requests sent again after a 429, a 5xx or a connection failure."),
		replays: counter("telenor.api.replays", "{replay}",
			"API requests sent again with a new token after a 401 for a rejected token."),
	}
	if err := errors.Join(errs...); err != nil {
		otel.Handle(err)
	}
	return in
}

// tokenResult is telenor.token.result of a fetch: "success", "timeout",
// "rejected" (the credentials or the code) or "error".
func tokenResult(err error) string {
	switch {
	case err == nil:
		return "success"
	case errors.Is(err, telenor.ErrTokenTimeout):
		return "timeout"
	case errors.Is(err, telenor.ErrInvalidGrant), errors.Is(err, telenor.ErrInvalidClient):
		return "rejected"
	}
	return "error"
}

// waitResult is telenor.token.result of a wait: "success", "canceled"
// (the caller's context ended first) or "error" (the fetch failed).
func waitResult(err error) string {
	switch {
	case err == nil:
		return "success"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	}
	return "error"
}

// errorType is error.type: the kind of err, from the SDK's sentinels and
// types, never its text (which may quote the gateway).
func errorType(err error) string {
	for _, k := range errorKinds {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	var api *telenor.APIError
	var auth *telenor.AuthError
	var ne net.Error
	switch {
	case errors.As(err, &api):
		return statusText(api.StatusCode)
	case errors.As(err, &auth) && auth.StatusCode != 0:
		return "token_" + statusText(auth.StatusCode)
	case errors.As(err, &auth):
		return "authorization"
	case errors.As(err, &ne):
		return "network"
	}
	return "_OTHER"
}

// errorKinds are the error.type values of errors matching a sentinel,
// most specific first.
var errorKinds = [...]struct {
	err  error
	name string
}{
	{context.Canceled, "canceled"},
	{context.DeadlineExceeded, "deadline_exceeded"},
	{telenor.ErrTokenTimeout, "token_timeout"},
	{telenor.ErrReauthenticate, "reauthenticate"},
	{telenor.ErrInvalidGrant, "invalid_grant"},
	{telenor.ErrInvalidClient, "invalid_client"},
	{telenor.ErrAccessDenied, "access_denied"},
	{telenor.ErrRateLimited, "rate_limited"},
	{telenor.ErrMalformedResponse, "malformed_response"},
	{telenor.ErrListChanged, "list_changed"},
	{telenor.ErrInvalidConfig, "invalid_config"},
}
