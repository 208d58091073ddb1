package tokencache

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestScheduleScalesWithLifetime(t *testing.T) {
	sent := time.Unix(1_000_000, 0)
	tests := []struct {
		life, refresh, stale time.Duration
	}{
		{5 * time.Second, 3250 * time.Millisecond, 4500 * time.Millisecond},
		{100 * time.Second, 65 * time.Second, 90 * time.Second},
		{3599 * time.Second, 3599*time.Second - 5*time.Minute - 30*time.Second, 3569 * time.Second},
	}
	for _, tt := range tests {
		r, s := Schedule(sent, sent.Add(tt.life))
		assert.Equal(t, tt.refresh, r.Sub(sent), "refresh for %s", tt.life)
		assert.Equal(t, tt.stale, s.Sub(sent), "stale for %s", tt.life)
	}
}
