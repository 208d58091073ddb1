package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// format is how a list command writes its items.
type format int

const (
	formatTable  format = iota // aligned columns for people (the default)
	formatCSV                  // RFC 4180 with a header row
	formatJSON                 // one JSON array, an item per line
	formatNDJSON               // one JSON object per line
)

// formats lists every format, in the order help text names them.
func formats() []format { return []format{formatTable, formatCSV, formatJSON, formatNDJSON} }

// String returns the name -format takes.
func (f format) String() string {
	switch f {
	case formatCSV:
		return "csv"
	case formatJSON:
		return "json"
	case formatNDJSON:
		return "ndjson"
	}
	return "table"
}

// formatFlag is the -format flag.
type formatFlag struct{ f format }

func (f *formatFlag) String() string { return f.f.String() }

func (f *formatFlag) Set(s string) error {
	var names []string
	for _, candidate := range formats() {
		if strings.EqualFold(s, candidate.String()) {
			f.f = candidate
			return nil
		}
		names = append(names, candidate.String())
	}
	return fmt.Errorf("want one of %s", strings.Join(names, ", "))
}

// sinceFlag is -since: a Go duration (36h, 90m) or whole days (7d).
type sinceFlag struct{ d time.Duration }

func (s *sinceFlag) String() string {
	if s.d == 0 {
		return ""
	}
	return s.d.String()
}

func (s *sinceFlag) Set(v string) error {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 100*365 {
			return fmt.Errorf("want a number of days such as 7d, or a duration such as 36h")
		}
		s.d = time.Duration(n) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("want a positive duration such as 36h or 90m, or days such as 7d")
	}
	s.d = d
	return nil
}
