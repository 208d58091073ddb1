package main

import (
	"bufio"
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tableSample is how many rows set the column widths. Later rows keep
// those widths (a longer cell pushes its row to the right) so that a
// table of 100,000 rows streams in flat memory.
const tableSample = 100

// tableSink writes aligned columns under upper-case titles.
type tableSink[T any] struct {
	w      *bufio.Writer
	cols   []column[T]
	sample [][]string // rows held until the widths are known
	widths []int      // nil until the sample is printed
	buf    []byte     // one line, reused
}

func newTableSink[T any](w *bufio.Writer, cols []column[T]) *tableSink[T] {
	return &tableSink[T]{w: w, cols: cols}
}

func (s *tableSink[T]) write(item *T) error {
	row := make([]string, len(s.cols))
	for i, c := range s.cols {
		row[i] = printable(c.value(item))
	}
	if s.widths != nil {
		return s.line(row)
	}
	if s.sample = append(s.sample, row); len(s.sample) == tableSample {
		return s.printSample()
	}
	return nil
}

func (s *tableSink[T]) end() error {
	if s.widths == nil {
		_ = s.printSample() // Flush reports a write error
	}
	return s.w.Flush()
}

// printSample fixes the widths from the titles and the sample, and
// prints them.
func (s *tableSink[T]) printSample() error {
	titles := make([]string, len(s.cols))
	s.widths = make([]int, len(s.cols))
	for i, c := range s.cols {
		titles[i] = c.title
		s.widths[i] = utf8.RuneCountInString(c.title)
	}
	for _, row := range s.sample {
		for i, cell := range row {
			s.widths[i] = max(s.widths[i], utf8.RuneCountInString(cell))
		}
	}
	err := s.line(titles)
	for _, row := range s.sample {
		err = s.line(row)
	}
	s.sample = nil
	return err // bufio's errors are sticky: the last one reports any
}

// line writes one row, padded to the widths, without trailing blanks.
func (s *tableSink[T]) line(cells []string) error {
	b := s.buf[:0]
	for i, cell := range cells {
		if i > 0 {
			for range max(s.widths[i-1]-utf8.RuneCountInString(cells[i-1]), 0) + 2 {
				b = append(b, ' ')
			}
		}
		b = append(b, cell...)
	}
	s.buf = append(bytes.TrimRight(b, " "), '\n')
	_, err := s.w.Write(s.buf)
	return err
}

// printable replaces control characters, so that text from the gateway
// cannot move the cursor or change the terminal.
func printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}
