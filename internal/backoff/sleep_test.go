package backoff

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// All tests here run inside synctest bubbles: time is virtual, so the
// assertions are about ordering, never about wall-clock durations.

// checkSleep runs Sleep and verifies its error and the virtual time spent.
func checkSleep(t *testing.T, ctx context.Context, d time.Duration, wantErr error, wantElapsed time.Duration) {
	t.Helper()
	start := time.Now()
	if err := Sleep(ctx, d); !errors.Is(err, wantErr) {
		t.Fatalf("Sleep(%v) = %v, want %v", d, err, wantErr)
	}
	if got := time.Since(start); got != wantElapsed {
		t.Fatalf("Sleep(%v) took %v of virtual time, want %v", d, got, wantElapsed)
	}
}

func TestSleepElapses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		checkSleep(t, t.Context(), 5*time.Second, nil, 5*time.Second)
	})
}

func TestSleepCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		checkSleep(t, ctx, time.Hour, context.Canceled, time.Second)
	})
}

func TestSleepDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		checkSleep(t, ctx, time.Hour, context.DeadlineExceeded, 2*time.Second)
	})
}

func TestSleepNonPositive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		checkSleep(t, t.Context(), 0, nil, 0)
		checkSleep(t, t.Context(), -time.Second, nil, 0)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		checkSleep(t, ctx, 0, context.Canceled, 0)
		checkSleep(t, ctx, time.Hour, context.Canceled, 0)
	})
}
