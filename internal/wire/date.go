package wire

import (
	"strings"
	"time"
)

// ParseDate parses an ISO-8601 calendar date in the extended (1985-04-17)
// or basic (19850417) form. A time part after the date, as in
// 1985-04-17T00:00:00Z, is ignored: a birth date has no time zone.
func ParseDate(s string) (time.Time, bool) {
	date, _, _ := strings.Cut(strings.TrimSpace(s), "T")
	for _, layout := range [...]string{"2006-01-02", "20060102"} {
		if t, err := time.Parse(layout, date); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
