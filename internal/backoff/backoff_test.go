package backoff

import (
	"math"
	"testing"
	"time"
)

const samples = 2000

func TestDelayBounds(t *testing.T) {
	t.Parallel()
	custom := Policy{Base: 100 * time.Millisecond, Max: 3 * time.Second}
	tests := []struct {
		name    string
		p       Policy
		attempt int
		ceil    time.Duration
	}{
		{"default attempt 0", Policy{}, 0, 200 * time.Millisecond},
		{"default attempt 1", Policy{}, 1, 400 * time.Millisecond},
		{"default attempt 5", Policy{}, 5, 6400 * time.Millisecond},
		{"default attempt 6 capped", Policy{}, 6, 10 * time.Second},
		{"default attempt 1000", Policy{}, 1000, 10 * time.Second},
		{"default attempt maxint", Policy{}, math.MaxInt, 10 * time.Second},
		{"negative attempt is 0", Policy{}, -1, 200 * time.Millisecond},
		{"minint attempt is 0", Policy{}, math.MinInt, 200 * time.Millisecond},
		{"custom attempt 0", custom, 0, 100 * time.Millisecond},
		{"custom attempt 5 capped", custom, 5, 3 * time.Second},
		{"base above max", Policy{Base: time.Minute, Max: time.Second}, 0, time.Second},
		{"negative fields use defaults", Policy{Base: -1, Max: -1}, 0, 200 * time.Millisecond},
		{"huge max no overflow", Policy{Base: time.Second, Max: math.MaxInt64}, 1000, math.MaxInt64},
		{"1ns base", Policy{Base: 1, Max: 1}, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.p.ceiling(max(tt.attempt, 0)); got != tt.ceil {
				t.Fatalf("ceiling = %v, want %v", got, tt.ceil)
			}
			for range samples {
				if d := tt.p.Delay(tt.attempt); d < tt.ceil/2 || d > tt.ceil {
					t.Fatalf("Delay(%d) = %v, want in [%v, %v]", tt.attempt, d, tt.ceil/2, tt.ceil)
				}
			}
		})
	}
}

// TestDelayIsJittered guards against a regression to a constant delay,
// which would make clients retry in lock-step.
func TestDelayIsJittered(t *testing.T) {
	t.Parallel()
	seen := map[time.Duration]bool{}
	for range samples {
		seen[Policy{}.Delay(3)] = true
	}
	if len(seen) < 10 {
		t.Fatalf("only %d distinct delays in %d samples", len(seen), samples)
	}
}

func TestWait(t *testing.T) {
	t.Parallel()
	p := Policy{Base: time.Second, Max: 4 * time.Second, MaxRetryAfter: 30 * time.Second}
	tests := []struct {
		name       string
		p          Policy
		attempt    int
		retryAfter time.Duration
		lo, hi     time.Duration
	}{
		{"no hint", p, 0, 0, 500 * time.Millisecond, time.Second},
		{"negative hint ignored", p, 0, -time.Hour, 500 * time.Millisecond, time.Second},
		{"hint dominates", p, 0, 10 * time.Second, 10 * time.Second, 10 * time.Second},
		{"hint capped", p, 0, time.Hour, 30 * time.Second, 30 * time.Second},
		{"backoff dominates small hint", p, 5, time.Millisecond, 2 * time.Second, 4 * time.Second},
		{"default cap 60s", Policy{}, 0, time.Hour, time.Minute, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for range samples {
				if d := tt.p.Wait(tt.attempt, tt.retryAfter); d < tt.lo || d > tt.hi {
					t.Fatalf("Wait = %v, want in [%v, %v]", d, tt.lo, tt.hi)
				}
			}
		})
	}
}
