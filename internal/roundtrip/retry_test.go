package roundtrip

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/telenor-go/telenor/internal/backoff"
)

// All time here is a synctest bubble's: exact and virtual. A bubble's
// clock starts at 2000-01-01 00:00:00 UTC, whole seconds, so an HTTP date
// is exact too.

// tinyBackoff makes the jittered backoff at most 1ms, so that a wait of
// whole seconds is the server's Retry-After.
var tinyBackoff = backoff.Policy{Base: time.Millisecond, Max: time.Millisecond, MaxRetryAfter: 30 * time.Second}

func withRetryAfter(v ...string) *http.Response {
	return &http.Response{StatusCode: 503, Status: "503 Service Unavailable", Header: http.Header{"Retry-After": v}, Body: http.NoBody}
}

func TestWaitRetryAfter(t *testing.T) {
	date := func(d time.Duration, layout string) string { return time.Now().Add(d).UTC().Format(layout) }
	for _, tt := range []struct {
		name   string
		policy backoff.Policy
		resp   func() *http.Response // in the bubble, for its clock
		want   time.Duration         // 0: the backoff alone (at most 1ms)
	}{
		{"seconds", tinyBackoff, func() *http.Response { return withRetryAfter("5") }, 5 * time.Second},
		{"seconds with spaces", tinyBackoff, func() *http.Response { return withRetryAfter(" 7 ") }, 7 * time.Second},
		{"first of two", tinyBackoff, func() *http.Response { return withRetryAfter("3", "9") }, 3 * time.Second},
		{"IMF date", tinyBackoff, func() *http.Response { return withRetryAfter(date(20*time.Second, http.TimeFormat)) }, 20 * time.Second},
		{"RFC 850 date", tinyBackoff, func() *http.Response { return withRetryAfter(date(12*time.Second, time.RFC850)) }, 12 * time.Second},
		{"ANSI C date", tinyBackoff, func() *http.Response { return withRetryAfter(date(4*time.Second, time.ANSIC)) }, 4 * time.Second},
		{"date past", tinyBackoff, func() *http.Response { return withRetryAfter(date(-time.Hour, http.TimeFormat)) }, 0},
		{"date far future capped", tinyBackoff, func() *http.Response { return withRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT") }, 30 * time.Second},
		{"over the cap", tinyBackoff, func() *http.Response { return withRetryAfter("31") }, 30 * time.Second},
		{"huge capped", tinyBackoff, func() *http.Response { return withRetryAfter("99999999999999999999999999") }, 30 * time.Second},
		{"huge, cap above a day: clamped, no overflow", backoff.Policy{Base: time.Millisecond, Max: time.Millisecond, MaxRetryAfter: 1 << 62},
			func() *http.Response { return withRetryAfter("99999999999999999999999999") }, backoff.MaxParsedRetryAfter},
		{"zero", tinyBackoff, func() *http.Response { return withRetryAfter("0") }, 0},
		{"negative", tinyBackoff, func() *http.Response { return withRetryAfter("-5") }, 0},
		{"plus sign", tinyBackoff, func() *http.Response { return withRetryAfter("+5") }, 0},
		{"fraction", tinyBackoff, func() *http.Response { return withRetryAfter("1.5") }, 0},
		{"unit", tinyBackoff, func() *http.Response { return withRetryAfter("5s") }, 0},
		{"garbage", tinyBackoff, func() *http.Response { return withRetryAfter("soon\x00") }, 0},
		{"empty", tinyBackoff, func() *http.Response { return withRetryAfter("") }, 0},
		{"no header", tinyBackoff, func() *http.Response { return &http.Response{StatusCode: 503, Body: http.NoBody} }, 0},
		{"no response", tinyBackoff, func() *http.Response { return nil }, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				got, ok := Wait(t.Context(), tt.policy, tt.resp(), 0)
				if !ok {
					t.Fatal("Wait refused with no deadline")
				}
				if tt.want == 0 {
					if got <= 0 || got > time.Millisecond {
						t.Fatalf("Wait = %v; want the backoff, in (0, 1ms]", got)
					}
				} else if got != tt.want {
					t.Fatalf("Wait = %v; want %v", got, tt.want)
				}
			})
		})
	}
}

// TestWaitBackoff: without a hint the wait grows with the attempt, stays
// within [d/2, d] of its ceiling d, and never overflows or goes negative.
func TestWaitBackoff(t *testing.T) {
	p := backoff.Policy{Base: 100 * time.Millisecond, Max: time.Second}
	for _, tt := range []struct {
		attempt  int
		min, max time.Duration
	}{
		{-1, 50 * time.Millisecond, 100 * time.Millisecond},
		{0, 50 * time.Millisecond, 100 * time.Millisecond},
		{1, 100 * time.Millisecond, 200 * time.Millisecond},
		{3, 400 * time.Millisecond, 800 * time.Millisecond},
		{10, 500 * time.Millisecond, time.Second},
		{1 << 62, 500 * time.Millisecond, time.Second},
	} {
		for range 50 {
			got, ok := Wait(context.Background(), p, nil, tt.attempt)
			if !ok || got < tt.min || got > tt.max {
				t.Fatalf("Wait(attempt %d) = %v, %v; want in [%v, %v]", tt.attempt, got, ok, tt.min, tt.max)
			}
		}
	}
}

// TestWaitDeadline: a wait the caller's deadline would cut is not taken,
// so the caller gets the answer in hand rather than a deadline error.
func TestWaitDeadline(t *testing.T) {
	for _, tt := range []struct {
		name       string
		left       time.Duration // until the deadline; 0 for none
		retryAfter string
		ok         bool
	}{
		{"fits", 10 * time.Second, "5", true},
		{"ends a second early", 10 * time.Second, "9", true},
		{"ends at the deadline", 10 * time.Second, "10", false},
		{"ends past the deadline", 10 * time.Second, "11", false},
		{"backoff alone past a 0.5ms deadline", 500 * time.Microsecond, "", false},
		{"deadline passed", -time.Second, "", false},
		{"no deadline, capped wait", 0, "3600", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := t.Context()
				if tt.left != 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithDeadline(ctx, time.Now().Add(tt.left))
					defer cancel()
				}
				got, ok := Wait(ctx, tinyBackoff, withRetryAfter(tt.retryAfter), 0)
				if ok != tt.ok {
					t.Fatalf("Wait = %v, %v; want ok %v", got, ok, tt.ok)
				}
				if !ok && got != 0 {
					t.Fatalf("Wait refused with a wait of %v; want 0", got)
				}
				if ok && tt.left > 0 {
					// The wait taken leaves time to send again in.
					if err := Pause(ctx, nil, got, 0); err != nil {
						t.Fatal(err)
					}
					synctest.Wait()
					if ctx.Err() != nil {
						t.Fatalf("Wait = %v with %v left: no time left after it", got, tt.left)
					}
				}
			})
		})
	}
}

// countingBody counts what is read of a body and whether it was closed.
type countingBody struct {
	r      io.Reader
	n      int64
	closed bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}

func (b *countingBody) Close() error { b.closed = true; return nil }

func TestPause(t *testing.T) {
	const limit = 1 << 10
	for _, tt := range []struct {
		name     string
		resp     bool
		code     int    // resp.StatusCode; 503 when 0
		status   string // resp.Status; empty as a test transport leaves it
		wait     time.Duration
		cancelAt time.Duration // 0: never
		deadline time.Duration // 0: none
		wantErr  error
		wantIn   string // in the error
		elapsed  time.Duration
	}{
		{name: "waits in full", resp: true, status: "503 Service Unavailable", wait: 5 * time.Second, elapsed: 5 * time.Second},
		{name: "no wait", resp: true, status: "503 Service Unavailable"},
		{name: "no response", wait: time.Second, elapsed: time.Second},
		{name: "canceled midway", resp: true, status: "503 Service Unavailable", wait: 5 * time.Second, cancelAt: 2 * time.Second,
			wantErr: context.Canceled, wantIn: "503", elapsed: 2 * time.Second},
		{name: "deadline midway", resp: true, code: 429, status: "429 Too Many Requests", wait: 5 * time.Second, deadline: 3 * time.Second,
			wantErr: context.DeadlineExceeded, wantIn: "429", elapsed: 3 * time.Second},
		{name: "canceled, no response", wait: 5 * time.Second, cancelAt: time.Second,
			wantErr: context.Canceled, wantIn: "connection failure", elapsed: time.Second},
		{name: "canceled, response without Status", resp: true, wait: 5 * time.Second, cancelAt: time.Second,
			wantErr: context.Canceled, wantIn: "503", elapsed: time.Second},
		{name: "canceled before", resp: true, status: "503 Service Unavailable", wait: 5 * time.Second, cancelAt: -1,
			wantErr: context.Canceled, wantIn: "503"},
		{name: "canceled before, no wait", resp: true, status: "503 Service Unavailable", cancelAt: -1,
			wantErr: context.Canceled, wantIn: "503"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tt.deadline > 0 {
					ctx, cancel = context.WithTimeout(ctx, tt.deadline)
					defer cancel()
				}
				switch {
				case tt.cancelAt < 0:
					cancel()
				case tt.cancelAt > 0:
					time.AfterFunc(tt.cancelAt, cancel)
				}
				var resp *http.Response
				body := &countingBody{r: strings.NewReader(strings.Repeat("x", 4*limit))}
				if tt.resp {
					resp = &http.Response{StatusCode: cmp.Or(tt.code, 503), Status: tt.status, Body: body}
				}
				start := time.Now()
				err := Pause(ctx, resp, tt.wait, limit)
				if elapsed := time.Since(start); elapsed != tt.elapsed {
					t.Errorf("Pause took %v; want %v", elapsed, tt.elapsed)
				}
				if tt.resp && (!body.closed || body.n != limit) {
					t.Errorf("body read %d bytes, closed %v; want %d, true", body.n, body.closed, limit)
				}
				switch {
				case tt.wantErr == nil && err != nil:
					t.Fatalf("Pause = %v; want nil", err)
				case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
					t.Fatalf("Pause = %v; want an error matching %v", err, tt.wantErr)
				case tt.wantErr != nil && !strings.Contains(err.Error(), tt.wantIn):
					t.Fatalf("Pause = %q; want it to name %q", err, tt.wantIn)
				}
			})
		})
	}
}

func TestLogRetry(t *testing.T) {
	const secret = "FAKE-TOKEN-5f3a9c"
	req, err := http.NewRequest("GET", "https://api.example/user-info/v1/users?access_token="+secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp := &http.Response{StatusCode: 503, Header: http.Header{"Authorization": {"Bearer " + secret}}, Body: http.NoBody}
	for _, tt := range []struct {
		name  string
		level slog.Level
		op    string
		resp  *http.Response
		err   error
		want  map[string]any // nil: nothing logged
	}{
		{"below debug", slog.LevelInfo, "UserInfo", resp, nil, nil},
		{"known route", slog.LevelDebug, "UserInfo", resp, nil, map[string]any{
			"operation": "UserInfo", "method": "GET", "path": "/user-info/v1/users", "status": 503.0,
			"gateway_code": 50001.0, "attempt": 2.0, "wait": float64(time.Second)}},
		{"unknown route leaves the path out", slog.LevelDebug, "", resp, nil, map[string]any{
			"operation": "", "path": "", "status": 503.0}},
		{"connection failure", slog.LevelDebug, "UserInfo", nil, syscall.ECONNRESET, map[string]any{
			"status": 0.0, "error": syscall.ECONNRESET.Error()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			lg := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tt.level}))
			LogRetry(context.Background(), lg, tt.op, req, tt.resp, tt.err, 50001, 2, time.Second)
			if tt.want == nil {
				if buf.Len() != 0 {
					t.Fatalf("logged below its level: %s", buf.Bytes())
				}
				return
			}
			if strings.Contains(buf.String(), secret) {
				t.Fatalf("the token reached the log: %s", buf.Bytes())
			}
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, buf.Bytes())
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %v; want %v (%s)", k, got[k], v, buf.Bytes())
				}
			}
		})
	}
}
