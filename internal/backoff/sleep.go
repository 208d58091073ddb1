package backoff

import (
	"context"
	"time"
)

// Sleep waits for d or until ctx ends, whichever comes first. It returns
// ctx.Err() if ctx ended first and nil otherwise. A non-positive d returns
// ctx.Err() immediately, so callers observe cancellation even when no wait
// is needed, and an already-ended ctx wins over any d. The timer is always
// stopped, so cancelled sleeps leak nothing.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
