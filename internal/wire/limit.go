package wire

import (
	"errors"
	"io"
	"math"
	"strconv"
)

// ErrTooLarge is returned (wrapped in *TooLargeError) when a body exceeds
// its limit. Match it with errors.Is.
var ErrTooLarge = errors.New("response body too large")

// TooLargeError reports that a body was longer than Limit bytes. It exists
// so callers can both match ErrTooLarge and learn the limit that was hit.
type TooLargeError struct {
	Limit int64
}

// Error implements error.
func (e *TooLargeError) Error() string {
	return "response body exceeds " + strconv.FormatInt(e.Limit, 10) + " bytes"
}

// Is makes errors.Is(err, ErrTooLarge) true for a *TooLargeError.
func (e *TooLargeError) Is(target error) bool {
	return target == ErrTooLarge
}

// ReadLimited reads all of r but at most limit bytes, so a hostile or broken
// server cannot make the client buffer an unbounded body. If r holds more
// than limit bytes it returns the first limit bytes together with a
// *TooLargeError; it reads at most limit+1 bytes to find that out. A negative
// limit is treated as 0. Errors from r are returned with the bytes read so
// far, as io.ReadAll does.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	limit = max(limit, 0)
	if limit == math.MaxInt64 {
		return io.ReadAll(r)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return b[:limit], &TooLargeError{Limit: limit}
	}
	return b, nil
}
