package wire

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseDate(t *testing.T) {
	want := time.Date(1985, time.April, 17, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"1985-04-17", "19850417", " 1985-04-17 ", "1985-04-17T00:00:00Z", "1985-04-17T23:30:00+05:00"} {
		got, ok := ParseDate(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "17.04.1985", "1985-13-01", "1985-02-30", "85-04-17", "T1985-04-17"} {
		_, ok := ParseDate(s)
		assert.False(t, ok, s)
	}
}
