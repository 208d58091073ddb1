package wire

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// countingReader yields an endless (or n-byte) stream of 'x' and records
// how many bytes were handed out, to prove ReadLimited stops early.
type countingReader struct {
	remaining int64
	read      int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.remaining <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), c.remaining))
	for i := range n {
		p[i] = 'x'
	}
	c.remaining -= int64(n)
	c.read += int64(n)
	return n, nil
}

func TestReadLimited(t *testing.T) {
	t.Parallel()
	const limit = 10
	tests := []struct {
		name    string
		size    int
		limit   int64
		wantLen int
		tooBig  bool
	}{
		{"empty", 0, limit, 0, false},
		{"limit-1", limit - 1, limit, limit - 1, false},
		{"limit", limit, limit, limit, false},
		{"limit+1", limit + 1, limit, limit, true},
		{"much larger", 1000, limit, limit, true},
		{"zero limit empty", 0, 0, 0, false},
		{"zero limit", 1, 0, 0, true},
		{"negative limit", 1, -5, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := strings.Repeat("a", tt.size)
			got, err := ReadLimited(strings.NewReader(body), tt.limit)
			if len(got) != tt.wantLen || string(got) != body[:tt.wantLen] {
				t.Fatalf("got %d bytes %q, want first %d bytes", len(got), got, tt.wantLen)
			}
			checkTooLarge(t, err, tt.tooBig, max(tt.limit, 0))
		})
	}
}

// checkTooLarge asserts err is a *TooLargeError for limit exactly when
// want is true.
func checkTooLarge(t *testing.T, err error, want bool, limit int64) {
	t.Helper()
	if !want {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	var tl *TooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, ErrTooLarge) || tl.Limit != limit {
		t.Fatalf("err = %#v, want *TooLargeError{Limit: %d} matching ErrTooLarge", err, limit)
	}
}

func TestReadLimitedStopsEarly(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	r := &countingReader{remaining: 100 << 20}
	got, err := ReadLimited(r, limit)
	checkTooLarge(t, err, true, limit)
	if len(got) != limit {
		t.Fatalf("got %d bytes, want %d", len(got), limit)
	}
	if r.read > limit+1 {
		t.Fatalf("read %d bytes from a 100 MB body, want at most %d", r.read, limit+1)
	}
}

func TestReadLimitedMaxInt(t *testing.T) {
	t.Parallel()
	got, err := ReadLimited(bytes.NewReader([]byte("abc")), 1<<63-1)
	if err != nil || string(got) != "abc" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestReadLimitedReaderError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("ab"), errReader{boom})
	got, err := ReadLimited(r, 10)
	if !errors.Is(err, boom) || string(got) != "ab" {
		t.Fatalf("got %q, %v; want \"ab\", boom", got, err)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestTooLargeErrorMessage(t *testing.T) {
	t.Parallel()
	if got, want := (&TooLargeError{Limit: 1024}).Error(), "response body exceeds 1024 bytes"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}
