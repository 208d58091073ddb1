package telenortest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/memhttp"
)

// Paths the server serves, the real gateway's. Tests name them in
// [Server.Fail] and [Server.Requests], and append them to [Server.URL].
const (
	PasswordTokenPath       = gateway.PasswordTokenPath       // token endpoint of the password-grant specification
	TokenPath               = gateway.TokenPath               // token endpoint for every grant
	AuthPath                = gateway.AuthPath                // where line authentication starts
	LogoutPath              = gateway.LogoutPath              // revokes the Bearer token it is called with
	UserInfoPath            = gateway.UserInfoPath            // the consenting subscriber's user info
	DeviceInfoPath          = gateway.DeviceInfoPath          // the consenting subscriber's device info
	OrganizationsPath       = gateway.OrganizationsPath       // the system user's organizations
	AccountsPath            = gateway.AccountsPath            // corporate accounts, paged
	MobileSubscriptionsPath = gateway.MobileSubscriptionsPath // mobile subscriptions, filtered and paged
	AgreementsPath          = gateway.AgreementsPath          // corporate agreements
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
	authz   authzState

	done   chan struct{}  // closed by Close; wakes delayed and hung handlers
	active sync.WaitGroup // handlers running, so tests can wait for them

	mu     sync.Mutex
	ts     *httptest.Server // nil until Start
	closed bool
}

// An Option configures a [Server] made by [NewServer] or
// [NewUnstartedServer].
type Option func(*options)

// options is what the Option functions fill in; each is documented with
// its Option.
type options struct {
	clients      map[string]string // client id -> secret
	users        map[string]string // system user -> password
	lifetime     time.Duration
	expiresIn    func(secs int64) string // raw JSON of expires_in; nil: the number; "": omitted
	subscriber   Subscriber
	redirectURL  string
	consent      Consent
	codeLifetime time.Duration
	company      companyOptions
}

// newOptions applies opts over the defaults.
func newOptions(opts []Option) options {
	o := options{
		clients:      map[string]string{},
		users:        map[string]string{},
		lifetime:     DefaultExpiresIn,
		subscriber:   DefaultSubscriber(),
		consent:      ConsentPage,
		codeLifetime: defaultCodeLifetime,
		company:      companyOptions{accounts: DefaultAccounts, subscriptions: DefaultSubscriptions},
	}
	for _, opt := range opts {
		opt(&o)
	}
	// An option names the clients and users to use instead of the defaults.
	if len(o.clients) == 0 {
		o.clients[DefaultClientID] = DefaultClientSecret
	}
	if len(o.users) == 0 {
		o.users[DefaultUsername] = DefaultPassword
	}
	if o.company.subscriptions > 0 && o.company.accounts == 0 {
		o.company.accounts = 1 // every subscription belongs to an account
	}
	return o
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

// routes registers every endpoint. Counting and fault injection happen
// before routing (serveHTTP), so a new endpoint gets them for free.
func (s *Server) routes() {
	s.mux.HandleFunc(PasswordTokenPath, s.handleToken)
	s.mux.HandleFunc(TokenPath, s.handleToken)
	s.mux.HandleFunc(AuthPath, s.handleAuthorize)
	s.mux.HandleFunc(UserInfoPath, s.handleUserInfo)
	s.mux.HandleFunc(DeviceInfoPath, s.handleDeviceInfo)
	s.mux.HandleFunc(LogoutPath, s.handleLogout)
	s.mux.HandleFunc(OrganizationsPath, s.handleOrganizations)
	s.mux.HandleFunc(AccountsPath, s.handleAccounts)
	s.mux.HandleFunc(MobileSubscriptionsPath, s.handleMobileSubscriptions)
	s.mux.HandleFunc(AgreementsPath, s.handleAgreements)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeApigeeFault(w, http.StatusNotFound, // as Apigee answers a path it has no proxy for
			"Unable to identify proxy for host: "+r.Host+" and url: "+r.URL.Path, apigeeErrorCode(0, http.StatusNotFound))
	})
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
	case s.ts != nil:
		panic("telenortest: Server already started")
	}
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
	s.mu.Lock()
	if !s.closed {
		close(s.done)
	}
	s.closed = true
	ts := s.ts
	s.mu.Unlock()
	if ts != nil {
		ts.CloseClientConnections()
		ts.Close()
	}
}

// Requests reports how many requests have reached path (an exact URL
// path such as [PasswordTokenPath]), whatever their method and outcome.
// A request is counted when it arrives, before any fault is applied, so
// faulted requests count too.
func (s *Server) Requests(path string) int { return s.faults.count(path) }

// TokenRequests reports how many requests have reached the token
// endpoint, summed over [PasswordTokenPath] and [TokenPath].
func (s *Server) TokenRequests() int {
	return s.Requests(PasswordTokenPath) + s.Requests(TokenPath)
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
