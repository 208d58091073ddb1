package roundtrip

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/telenor-go/telenor/internal/backoff"
)

// Wait returns the wait before retry attempt (from 0): jittered backoff,
// at least the server's Retry-After (capped). It reports false when ctx's
// deadline would pass first: the answer in hand serves the caller better
// than a deadline error.
func Wait(ctx context.Context, p backoff.Policy, resp *http.Response, attempt int) (time.Duration, bool) {
	var hint time.Duration
	if resp != nil {
		hint, _ = backoff.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	wait := p.Wait(attempt, hint)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait { // no time left to retry in
		return 0, false
	}
	return wait, true
}

// Pause discards resp (reading up to limit) and waits. When ctx ends
// first it returns at once with an error matching ctx.Err() that names the
// last failure.
func Pause(ctx context.Context, resp *http.Response, wait time.Duration, limit int64) error {
	last := "connection failure"
	if resp != nil {
		last = "status " + strconv.Itoa(resp.StatusCode) // not Status: a RoundTripper may leave it empty
		Discard(resp, limit)
	}
	if err := backoff.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("telenor: gave up retrying after %s: %w", last, err)
	}
	return nil
}

// LogRetry logs a retry with what tells its cause: the operation (op, ""
// for a route the SDK does not know, whose path is then left out),
// status (or error) and gateway code, the attempt n that failed and the
// wait.
func LogRetry(ctx context.Context, lg *slog.Logger, op string, req *http.Request, resp *http.Response, err error, code, n int, wait time.Duration) {
	if !lg.Enabled(ctx, slog.LevelDebug) {
		return
	}
	route := ""
	if op != "" {
		route = req.URL.Path
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	attrs := []slog.Attr{slog.String("operation", op), slog.String("method", req.Method), slog.String("path", route),
		slog.Int("status", status), slog.Int("gateway_code", code), slog.Int("attempt", n), slog.Duration("wait", wait)}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	lg.LogAttrs(ctx, slog.LevelDebug, "telenor: retrying API request", attrs...)
}
