package memhttp

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// responseWriter is the handler's side of one exchange. Only the handler
// goroutine touches it until ready is closed; after that RoundTrip reads
// status, header and err, which no longer change.
type responseWriter struct {
	header http.Header
	pw     *io.PipeWriter
	head   bool // HEAD request: discard body bytes

	status int
	sent   http.Header   // header snapshot taken when the response is committed
	err    error         // set when the handler produced no response
	ready  chan struct{} // closed once status and sent (or err) are set
}

func newResponseWriter(req *http.Request, pw *io.PipeWriter) *responseWriter {
	return &responseWriter{
		header: make(http.Header),
		pw:     pw,
		head:   req.Method == http.MethodHead,
		ready:  make(chan struct{}),
	}
}

// Header implements [http.ResponseWriter].
func (w *responseWriter) Header() http.Header { return w.header }

// WriteHeader implements [http.ResponseWriter]. Informational (1xx)
// statuses are ignored; only the first final status counts.
func (w *responseWriter) WriteHeader(code int) {
	if w.sent != nil || code < 200 {
		return
	}
	if code > 999 {
		panic(fmt.Sprintf("memhttp: invalid WriteHeader code %v", code))
	}
	w.status = code
	w.sent = w.header.Clone()
	close(w.ready)
}

// Write implements [http.ResponseWriter]. It blocks until the caller reads
// the bytes, and fails once the caller closes the body or its context ends.
func (w *responseWriter) Write(p []byte) (int, error) {
	if w.sent == nil {
		if w.header.Get("Content-Type") == "" && len(p) > 0 {
			w.header.Set("Content-Type", http.DetectContentType(p))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.head {
		return len(p), nil
	}
	return w.pw.Write(p)
}

// Flush implements [http.Flusher]. Writes are never buffered, so it only
// commits the header.
func (w *responseWriter) Flush() {
	if w.sent == nil {
		w.WriteHeader(http.StatusOK)
	}
}

// finish is called when the handler has returned with err (nil for a clean
// return). If nothing was committed yet, it either reports err to RoundTrip
// or commits an empty 200 response, as net/http does.
func (w *responseWriter) finish(err error) {
	if w.sent != nil {
		return
	}
	if err != nil {
		w.err = err
		close(w.ready)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// response builds the caller's view of the committed response.
func (w *responseWriter) response(req *http.Request) *http.Response {
	resp := &http.Response{
		Status:        fmt.Sprintf("%03d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		ContentLength: -1,
		Request:       req,
	}
	if cl := w.sent.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n >= 0 {
			resp.ContentLength = n
		}
	}
	return resp
}
