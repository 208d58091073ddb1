package backoff

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   string
		want time.Duration
		ok   bool
	}{
		{"seconds", "120", 120 * time.Second, true},
		{"zero", "0", 0, true},
		{"whitespace", " \t7 \r\n", 7 * time.Second, true},
		{"leading zeros", "007", 7 * time.Second, true},
		{"huge seconds clamped", "99999999", MaxParsedRetryAfter, true},
		{"beyond uint64 clamped", "123456789012345678901234567890", MaxParsedRetryAfter, true},
		{"future IMF date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"future RFC850 date", now.Add(time.Minute).Format(time.RFC850), time.Minute, true},
		{"future ANSIC date", now.Add(time.Minute).Format(time.ANSIC), time.Minute, true},
		{"past date", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"far future date clamped", now.AddDate(5, 0, 0).Format(http.TimeFormat), MaxParsedRetryAfter, true},
		{"empty", "", 0, false},
		{"blank", "   ", 0, false},
		{"negative", "-5", 0, false},
		{"plus sign", "+5", 0, false},
		{"fraction", "1.5", 0, false},
		{"garbage", "soon", 0, false},
		{"digits then junk", "12abc", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "", "-1", "Sun, 06 Nov 1994 08:49:37 GMT", "99999999999999999999", " 3 "} {
		f.Add(s)
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if d < 0 || d > MaxParsedRetryAfter {
			t.Fatalf("ParseRetryAfter(%q) = %v out of range", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false; want 0", v, d)
		}
	})
}
