package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
)

// column is one column of a list: its CSV header, its table title and
// how to get its value from an item.
type column[T any] struct {
	name, title string
	value       func(*T) string
}

// sink writes items in one format. end writes what a complete output
// needs (a header for an empty list, JSON's closing bracket) and flushes;
// export calls it after the last item, an interruption or a failed page
// alike, so the output ends with whole rows.
type sink[T any] interface {
	write(item *T) error
	end() error
}

// outputBuffer is the size of the buffer between the rows and the output:
// large enough for few write calls, small enough to keep memory flat.
const outputBuffer = 32 << 10

// export streams items to w in format f, one item at a time: memory stays
// flat whatever the count. It stops between two items when ctx ends, and
// returns the number of items written. A failure before the first item
// writes nothing; a later one leaves the items so far, whole.
func export[T any](ctx context.Context, items iter.Seq2[T, error], cols []column[T], f format, w io.Writer, p *progress) (int, error) {
	out := newSink(f, w, cols)
	n := 0
	err := func() error {
		for item, err := range items {
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err := out.write(&item); err != nil {
				return err
			}
			n++
			p.add()
		}
		return nil
	}()
	if err != nil && n == 0 {
		return 0, err // nothing written: no header or "[]" that looks like an empty list
	}
	if endErr := out.end(); err == nil {
		err = endErr
	}
	return n, err
}

func newSink[T any](f format, w io.Writer, cols []column[T]) sink[T] {
	bw := bufio.NewWriterSize(w, outputBuffer)
	switch f {
	case formatCSV:
		return newCSVSink(bw, cols)
	case formatJSON:
		return &jsonSink[T]{w: bw, array: true}
	case formatNDJSON:
		return &jsonSink[T]{w: bw}
	}
	return newTableSink(bw, cols)
}

// csvSink writes RFC 4180 rows under a header of the columns' names.
type csvSink[T any] struct {
	w      *csv.Writer
	cols   []column[T]
	row    []string // reused for every item
	header bool     // written
}

func newCSVSink[T any](w io.Writer, cols []column[T]) *csvSink[T] {
	return &csvSink[T]{w: csv.NewWriter(w), cols: cols, row: make([]string, len(cols))}
}

func (s *csvSink[T]) writeHeader() error {
	s.header = true
	for i, c := range s.cols {
		s.row[i] = c.name
	}
	return s.w.Write(s.row)
}

func (s *csvSink[T]) write(item *T) error {
	if !s.header {
		if err := s.writeHeader(); err != nil {
			return err
		}
	}
	for i, c := range s.cols {
		s.row[i] = c.value(item)
	}
	return s.w.Write(s.row)
}

func (s *csvSink[T]) end() error {
	if !s.header {
		_ = s.writeHeader() // an empty list is a header alone; Flush reports errors
	}
	s.w.Flush()
	return s.w.Error()
}

// jsonSink writes each item as the gateway sent it (the SDK's types
// encode unknown members too): as a JSON array with an item per line, or
// as newline-delimited JSON.
type jsonSink[T any] struct {
	w     *bufio.Writer
	array bool
	n     int
}

// write buffers one item. bufio's errors are sticky, so the last write's
// error reports any earlier one.
func (s *jsonSink[T]) write(item *T) error {
	b, err := json.Marshal(item)
	if err != nil {
		return fmt.Errorf("encoding an item as JSON: %w", err)
	}
	if s.array {
		sep := ",\n"
		if s.n == 0 {
			sep = "[\n"
		}
		s.w.WriteString(sep)
	}
	s.n++
	if _, err := s.w.Write(b); err != nil || s.array {
		return err
	}
	return s.w.WriteByte('\n')
}

// end closes the array, also after an interruption or a failed page: the
// output stays valid JSON, and the exit status says it is incomplete.
func (s *jsonSink[T]) end() error {
	switch {
	case s.array && s.n == 0:
		s.w.WriteString("[]\n")
	case s.array:
		s.w.WriteString("\n]\n")
	}
	return s.w.Flush()
}
