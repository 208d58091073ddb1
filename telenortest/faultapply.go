package telenortest

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"time"
)

// applyFault carries out f for one request and reports whether the
// request should go on to normal handling.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Delay > 0 || f.Hang {
		bufferBody(r)
	}
	if f.Delay > 0 && !s.delay(r.Context(), w, f.Delay) {
		return false
	}
	if f.Hang {
		s.waitFor(r.Context(), w, nil)
		return false
	}
	if f.Reset {
		abort(w)
		return false
	}
	if f.Redirect != "" {
		http.Redirect(w, r, f.Redirect, cmp.Or(f.Status, http.StatusFound))
		return false
	}
	if f.answers() {
		s.writeFault(w, r, f)
		return false
	}
	return true
}

// maxBufferedBody bounds what bufferBody holds in memory.
const maxBufferedBody = 1 << 20

// bufferBody reads the request body (up to maxBufferedBody bytes) into
// memory and puts it back for whoever handles the request next. net/http
// notices a client hanging up (and cancels the request context) only
// once the handler has read the request body to its end, so a delayed or
// hung request must read it first to end when its client goes away.
func bufferBody(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	var buf bytes.Buffer
	_, _ = io.CopyN(&buf, r.Body, maxBufferedBody) // a read error recurs on the next read
	r.Body = replayBody{io.MultiReader(&buf, r.Body), r.Body}
}

// replayBody is a request body whose start was read ahead.
type replayBody struct {
	io.Reader
	io.Closer
}

// delay waits for d; see waitFor.
func (s *Server) delay(ctx context.Context, w http.ResponseWriter, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	return s.waitFor(ctx, w, t.C)
}

// waitFor blocks until c delivers (and reports true), or until the
// request's context ends or the server closes (and reports false). When
// the server closes, the connection is aborted. A nil c waits for the
// latter two only. It blocks only on channels, so it follows virtual time
// in testing/synctest bubbles.
func (s *Server) waitFor(ctx context.Context, w http.ResponseWriter, c <-chan time.Time) bool {
	select {
	case <-c:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		abort(w)
		return false
	}
}

// abort drops the connection with a TCP reset: it hijacks it, sets
// SO_LINGER to 0 and closes it. If w cannot be hijacked it panics with
// http.ErrAbortHandler, which net/http and memhttp turn into an aborted
// exchange.
func abort(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(interface{ SetLinger(sec int) error }); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
