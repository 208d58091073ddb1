package interop

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// A hostile gateway on a small virtual network. Every name resolves to a
// loopback listener through the client's dialer, so the SDK sees real
// host names, ports and schemes while nothing leaves the machine:
//
//	https://example.com       the gateway (BaseURL)
//	https://example.com:8443  another port, a recorder
//	http://example.com        plain http, a recorder
//	https://evil.example.com  a subdomain-like host, a recorder
//
// httptest's certificate is valid for example.com and *.example.com.

// Secrets of the hostile tests: distinct, greppable markers.
const (
	hostileClientID = "hostile-client"
	hostileSecret   = "hostileSECRETm4"
	hostileUser     = "API1000XYZ"
	hostilePassword = "hostilePASSWORDr8"
	hostileCode     = "hostileCODEp3"
	hostileToken    = "hostileTOKENw6"
	hostileQuery    = "leakQUERYu2" // in a redirect's query: never in an error
	hostileMSISDN   = "4790012345"
)

// hostileSecrets is what must never be printed or sent to another host.
func hostileSecrets() secretSet {
	return secretSet{
		"client secret": hostileSecret, "password": hostilePassword,
		"code": hostileCode, "access token": hostileToken,
	}.withBasic(hostileClientID, hostileSecret)
}

// hostileNet is the gateway, the recorders and a client that reaches them.
type hostileNet struct {
	gw       *httptest.Server
	hits     pathCounter
	newConns atomic.Int64 // connections the gateway accepted

	mu       sync.Mutex
	override map[string]http.HandlerFunc // per-case answers, by path

	rec    recorder
	routes map[string]string // virtual host:port -> listener address
	hc     *http.Client
}

func newHostileNet(t *testing.T) *hostileNet {
	t.Helper()
	h := &hostileNet{}
	h.gw = httptest.NewUnstartedServer(h.hits.wrap(http.HandlerFunc(h.serve)))
	h.gw.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			h.newConns.Add(1)
		}
	}
	h.gw.StartTLS()
	t.Cleanup(h.gw.Close)
	tlsRec := httptest.NewTLSServer(&h.rec)
	t.Cleanup(tlsRec.Close)
	plainRec := httptest.NewServer(&h.rec)
	t.Cleanup(plainRec.Close)
	h.routes = map[string]string{
		"example.com:443":      h.gw.Listener.Addr().String(),
		"example.com:8443":     tlsRec.Listener.Addr().String(),
		"evil.example.com:443": tlsRec.Listener.Addr().String(),
		"example.com:80":       plainRec.Listener.Addr().String(),
	}
	roots := x509.NewCertPool()
	roots.AddCert(h.gw.Certificate())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = h.dial
	tr.TLSClientConfig.RootCAs = roots
	tr.ForceAttemptHTTP2 = false // HTTP/1.1, where connection reuse is visible
	t.Cleanup(tr.CloseIdleConnections)
	h.hc = &http.Client{Transport: tr}
	return h
}

func (h *hostileNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	real, ok := h.routes[addr]
	if !ok {
		return nil, fmt.Errorf("test network: no route to %s", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, real)
}

// client returns a Client for the gateway logging to logs. Retries are
// fast: these tests are about what is sent and printed, not about time.
func (h *hostileNet) client(t *testing.T, logs *logBuffer, edit ...func(*telenor.Config)) *telenor.Client {
	t.Helper()
	cfg := telenor.Config{
		ClientID: hostileClientID, ClientSecret: hostileSecret,
		BaseURL: "https://example.com", HTTPClient: h.hc, Logger: logs.logger(),
		Retry: telenor.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: time.Millisecond},
	}
	for _, e := range edit {
		e(&cfg)
	}
	return newClient(t, cfg)
}

// user is an end user's UserSession holding the gateway's valid token.
func (h *hostileNet) user(cli *telenor.Client) *telenor.UserSession {
	return cli.RestoreUserSession(&oauth2.Token{AccessToken: hostileToken})
}

// answer makes the gateway answer path with f until reset.
func (h *hostileNet) answer(path string, f http.HandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.override == nil {
		h.override = map[string]http.HandlerFunc{}
	}
	h.override[path] = f
}

// reset forgets overrides, counts and recordings between cases.
func (h *hostileNet) reset() {
	h.mu.Lock()
	h.override = nil
	h.mu.Unlock()
	h.hits.reset()
	h.rec.reset()
	h.newConns.Store(0)
	h.hc.CloseIdleConnections()
}

// serve answers like a healthy gateway unless the case overrides the path.
func (h *hostileNet) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	f := h.override[r.URL.Path]
	h.mu.Unlock()
	if f != nil {
		f(w, r)
		return
	}
	switch r.URL.Path {
	case telenortest.PasswordTokenPath, telenortest.TokenPath:
		writeBody(w, http.StatusOK, "application/json", `{"access_token":"`+hostileToken+`","expires_in":3599,"token_type":"bearer"}`)
	case telenortest.UserInfoPath:
		if r.Header.Get("Authorization") != "Bearer "+hostileToken {
			writeBody(w, http.StatusUnauthorized, "application/json", `{"httpStatus":401,"httpMessage":"Unauthorized","description":"Invalid access token","errorCode":40105}`)
			return
		}
		writeBody(w, http.StatusOK, "application/json", `{"mobileNumber":"`+hostileMSISDN+`"}`)
	default:
		writeBody(w, http.StatusOK, "text/plain", "OK!") // logout, and a trap for followed redirects
	}
}

func writeBody(w http.ResponseWriter, status int, ctype, body string) {
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// recorder keeps everything that reached a redirect target and answers
// "OK!", the answer a careless logout would take for success.
type recorder struct {
	mu   sync.Mutex
	seen []string // one dump per request: host, request line, headers, body
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\n", r.Method, r.Host, r.URL)
	_ = r.Header.Write(&b)
	b.Write(body)
	rc.mu.Lock()
	rc.seen = append(rc.seen, b.String())
	rc.mu.Unlock()
	writeBody(w, http.StatusOK, "text/plain", "OK!")
}

func (rc *recorder) requests() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.seen...)
}

func (rc *recorder) reset() {
	rc.mu.Lock()
	rc.seen = nil
	rc.mu.Unlock()
}

// trickle writes body a few bytes at a time, pause apart. With forever it
// then keeps sending spaces (valid JSON whitespace, an answer that never
// ends) until the client gives up, bounded as a hang guard. When the
// client gives up, a server either hangs up (abort) or ends its chunked
// answer cleanly, which the client may still read as a complete body if
// it arrives as the client cancels.
func trickle(status int, body string, pause time.Duration, forever, abort bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		rc := http.NewResponseController(w)
		send := func(s string) bool {
			if _, err := io.WriteString(w, s); err != nil || rc.Flush() != nil {
				return false
			}
			select {
			case <-r.Context().Done():
				if abort {
					panic(http.ErrAbortHandler) // drop the connection: no clean end
				}
				return false
			case <-time.After(pause):
				return true
			}
		}
		for i := 0; i < len(body); i += 4 {
			if !send(body[i:min(i+4, len(body))]) {
				return
			}
		}
		for i := 0; forever && i < 6000; i++ { // 6000 × pause: a hang guard, never reached
			if !send(" ") {
				return
			}
		}
	}
}

// stream writes size bytes of an endless JSON string, never held in memory.
func stream(status int, size int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		chunk := []byte(strings.Repeat("a", 32<<10))
		_, _ = io.WriteString(w, `{"access_token":"`)
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}
