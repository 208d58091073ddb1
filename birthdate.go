package telenor

import (
	"encoding/json"
	"time"

	"github.com/telenor-go/telenor/internal/wire"
)

// BirthDate is a date of birth as the Mobile User API sends it (ISO-8601).
// When the value parses, Year, Month and Day hold the date, so callers need
// no parsing of their own; Raw always keeps the string exactly as sent, so
// an unexpected format loses nothing.
type BirthDate struct {
	Year  int
	Month time.Month
	Day   int
	// Raw is the value as sent; empty when the gateway sent none.
	Raw string
}

// ParseBirthDate parses s as a BirthDate. It never fails: a value that is
// not an ISO-8601 date gives a BirthDate that is not Valid but keeps Raw.
// Accepted: the extended (1985-04-17) and basic (19850417) calendar-date
// forms; a time part after the date, as in 1985-04-17T00:00:00Z, is
// ignored, since a birth date has no time zone.
func ParseBirthDate(s string) BirthDate {
	d := BirthDate{Raw: s}
	if t, ok := wire.ParseDate(s); ok {
		d.Year, d.Month, d.Day = t.Date()
	}
	return d
}

// Valid reports whether the date parsed.
func (d BirthDate) Valid() bool { return d.Year != 0 }

// Time returns the date at midnight UTC, or the zero time if it did not
// parse.
func (d BirthDate) Time() time.Time {
	if !d.Valid() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String returns the date as YYYY-MM-DD, or Raw when it did not parse.
func (d BirthDate) String() string {
	if !d.Valid() {
		return d.Raw
	}
	return d.Time().Format(time.DateOnly)
}

// UnmarshalJSON decodes a JSON string (null leaves d unchanged).
func (d *BirthDate) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil || s == nil {
		return err
	}
	*d = ParseBirthDate(*s)
	return nil
}

// MarshalJSON encodes Raw, the value exactly as the gateway sent it.
func (d BirthDate) MarshalJSON() ([]byte, error) { return json.Marshal(d.Raw) }
