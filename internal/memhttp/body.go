package memhttp

import (
	"io"
	"sync"
)

// body is the response body handed to the caller. Close cancels the
// handler's context, unblocks its writes and waits for it to return.
type body struct {
	pr      *io.PipeReader
	done    <-chan struct{} // closed when the handler goroutine exits
	release func()          // stops the context watcher and cancels the handler
	once    sync.Once
}

// Read implements [io.Reader].
func (b *body) Read(p []byte) (int, error) { return b.pr.Read(p) }

// Close implements [io.Closer]. It is idempotent and returns once the
// handler has returned.
func (b *body) Close() error {
	b.once.Do(func() {
		b.release()
		_ = b.pr.Close()
	})
	<-b.done
	return nil
}
