package backoff

import (
	"math/rand/v2"
	"time"
)

// Defaults applied when a Policy field is zero. They are constants so that
// the zero Policy is immediately useful without a constructor.
const (
	DefaultBase          = 200 * time.Millisecond
	DefaultMax           = 10 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

// Policy describes jittered exponential backoff.
//
// A Policy is a plain value: copy it freely, and use the zero value for
// sensible defaults. Negative fields are treated like zero (the default), so
// a misconfiguration can never produce negative or zero waits.
type Policy struct {
	Base          time.Duration // first delay (before jitter); 0 means 200ms
	Max           time.Duration // cap on any computed delay; 0 means 10s
	MaxRetryAfter time.Duration // cap on a server's Retry-After; 0 means 60s
}

// orDefault returns v, or def when v is not positive.
func orDefault(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

// ceiling returns the un-jittered delay for attempt: min(Max, Base<<attempt).
//
// The shift is done by repeated doubling that stops as soon as the cap is
// reached, so huge attempt numbers cannot overflow time.Duration.
func (p Policy) ceiling(attempt int) time.Duration {
	base := orDefault(p.Base, DefaultBase)
	limit := orDefault(p.Max, DefaultMax)
	d := min(base, limit)
	for i := 0; i < attempt && d < limit; i++ {
		if d > limit/2 {
			return limit
		}
		d *= 2
	}
	return d
}

// Delay returns the wait before retry number attempt (0-based), using
// "equal jitter": with d = min(Max, Base<<attempt), the result is uniformly
// distributed in [d/2, d]. Half the delay is guaranteed, so retries still
// back off, while the random half spreads clients apart. Negative attempts
// are treated as 0.
func (p Policy) Delay(attempt int) time.Duration {
	d := p.ceiling(max(attempt, 0))
	half := d / 2
	return half + rand.N(d-half+1)
}

// Wait combines Delay with a server hint. If retryAfter > 0 the result is
// max(Delay(attempt), min(retryAfter, MaxRetryAfter)): the server's request
// is honoured but capped, and it never shortens our own backoff.
func (p Policy) Wait(attempt int, retryAfter time.Duration) time.Duration {
	d := p.Delay(attempt)
	if retryAfter <= 0 {
		return d
	}
	hint := min(retryAfter, orDefault(p.MaxRetryAfter, DefaultMaxRetryAfter))
	return max(d, hint)
}
