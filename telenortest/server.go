package telenortest

import (
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/telenor-go/telenor/internal/memhttp"
)

// Server is a fake Telenor gateway. Make one with [NewServer] or
// [NewUnstartedServer]; all methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the listening server, of the form
	// http://127.0.0.1:PORT with no trailing slash. It is empty until the
	// server is started.
	URL string

	opts    options      // read-only after construction
	handler http.Handler // counts, injects faults, then routes
	mux     *http.ServeMux
	faults  faultTable
	tokens  tokenStore
	authz   authzState // consent pages and codes (authzstate.go)

	done      chan struct{} // closed by Close; wakes delayed and hung handlers
	closeOnce sync.Once
	active    sync.WaitGroup // handlers running (lets tests wait for them)

	mu      sync.Mutex
	ts      *httptest.Server // nil until Start
	closed  bool
	started bool
}

// NewServer starts and returns a new Server listening on a loopback port,
// like [httptest.NewServer]. Like httptest, it panics if it cannot listen.
// The caller should call Close when finished.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer returns a new Server that is not listening. Its
// [Server.Handler] and [Server.Client] serve requests in-process, which
// is what tests in [testing/synctest] bubbles need; [Server.Start] makes
// it listen.
func NewUnstartedServer(opts ...Option) *Server {
	o := newOptions(opts)
	s := &Server{
		opts:   o,
		mux:    http.NewServeMux(),
		tokens: newTokenStore(o.lifetime),
		done:   make(chan struct{}),
	}
	s.routes()
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s
}

// Start starts a server from [NewUnstartedServer] on a loopback port and
// sets URL. It panics if the server was already started or closed, or if
// it cannot listen.
func (s *Server) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		panic("telenortest: Start on a closed Server")
	case s.started:
		panic("telenortest: Server already started")
	}
	s.started = true
	s.ts = httptest.NewServer(s.handler)
	s.URL = s.ts.URL
}

// Handler returns the server's HTTP handler, for serving requests
// in-process (without Start). Requests through it are counted and
// subject to faults like requests over the network.
func (s *Server) Handler() http.Handler { return s.handler }

// Client returns an HTTP client that talks to this server. Once the
// server is started it is the [httptest.Server] client, whose idle
// connections Close closes. Before Start it is a client that serves
// every request in-process through Handler whatever the URL's host, so
// it also works inside [testing/synctest] bubbles; such a client keeps
// serving in-process even after Start.
func (s *Server) Client() *http.Client {
	s.mu.Lock()
	ts := s.ts
	s.mu.Unlock()
	if ts != nil {
		return ts.Client()
	}
	return &http.Client{Transport: &memhttp.Transport{Handler: s.handler}}
}

// Close shuts the server down: it wakes every delayed or hung request
// (which then end by aborting their connection), closes all client
// connections and the listener, and waits for running handlers to
// return. Close is idempotent. It also makes requests still served
// in-process through Handler abort their delays and hangs.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.mu.Lock()
	s.closed = true
	ts := s.ts
	s.mu.Unlock()
	if ts != nil {
		ts.CloseClientConnections()
		ts.Close()
	}
}

// serveHTTP is the outermost handler: it counts the request, applies a
// pending fault for its path and, unless the fault answered, routes it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.active.Add(1)
	defer s.active.Done()
	if f, ok := s.faults.arrive(r.URL.Path); ok && !s.applyFault(w, r, f) {
		return
	}
	s.mux.ServeHTTP(w, r)
}
