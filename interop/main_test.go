package interop

import (
	"bytes"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/telenor-go/telenor"
)

// Every test in this module ends with no goroutine of its own left: the
// SDK's, the servers', the proxy's.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, toxiproxyLeaks...) }

// toxiproxyLeaks are goroutines toxiproxy v2.5.0 itself strands when a
// toxic (limit_data) ends one direction of a link while the other still
// has data in flight: its reader and its pass-through toxic block forever
// on channel sends nobody receives, even after Proxy.Stop. They are
// toxiproxy's, never the SDK's, and are ignored by their exact top frame.
var toxiproxyLeaks = []goleak.Option{
	goleak.IgnoreTopFunction("github.com/Shopify/toxiproxy/v2/stream.(*ChanWriter).Write"),
	goleak.IgnoreTopFunction("github.com/Shopify/toxiproxy/v2/toxics.(*NoopToxic).Pipe"),
}

// Values the SDK no longer exports, named once here. The gateway codes are
// Telenor's (telenor-api.md); the limits are the SDK's (docs/failures.md,
// docs/design.md).
const (
	codeTokenInvalid   = 40105   // 401: the access token is unknown or revoked
	codeTokenExpired   = 40106   // 401: the access token expired
	codeInvalidScope   = 40301   // 403: the token's scope does not cover the API
	codeBackendMissing = 4042000 // 404: no such path or method at the back end

	maxErrorBody     = 4 << 10        // APIError.Body keeps the first 4 KiB (docs/failures.md, "Errors")
	maxTokenLifetime = 24 * time.Hour // a huge expires_in is capped at 24 h (docs/design.md, token cache)
)

// newClient builds a Client or fails the test: every Config here is valid.
func newClient(t testing.TB, cfg telenor.Config) *telenor.Client {
	t.Helper()
	cli, err := telenor.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return cli
}

// pathCounter counts requests per URL path as they reach a server's
// handler: what reached the wire, not what the client believes it sent.
type pathCounter struct {
	mu sync.Mutex
	n  map[string]int
}

// wrap counts every request before next serves it.
func (c *pathCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		if c.n == nil {
			c.n = map[string]int{}
		}
		c.n[r.URL.Path]++
		c.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// get returns the count for path.
func (c *pathCounter) get(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

// reset forgets every count.
func (c *pathCounter) reset() {
	c.mu.Lock()
	c.n = nil
	c.mu.Unlock()
}

// logBuffer is a concurrency-safe sink for a JSON slog handler: the SDK
// logs from background refreshes while a test reads what was written.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logger returns a Debug-level JSON logger writing to b, the most verbose
// configuration an application can choose.
func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
