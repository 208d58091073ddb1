package telenor_test

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// proxyPassword is the proxy credential that must appear in no error.
const proxyPassword = "proxy-pass-LEAK-7"

// connectProxy is an HTTPS proxy on loopback: it answers CONNECT with
// status, or with a tunnel to target when status is 200.
type connectProxy struct {
	*httptest.Server
	connects atomic.Int32
	mu       sync.Mutex
	auth     []string // Proxy-Authorization of each CONNECT
}

func newConnectProxy(t *testing.T, status int, target string) *connectProxy {
	p := &connectProxy{}
	var tunnels sync.WaitGroup
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		p.connects.Add(1)
		p.mu.Lock()
		p.auth = append(p.auth, r.Header.Get("Proxy-Authorization"))
		p.mu.Unlock()
		if status != http.StatusOK {
			w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
			http.Error(w, "proxy says no", status)
			return
		}
		up, err := net.Dial("tcp", target) // whatever host was asked for
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusOK)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			up.Close()
			return
		}
		tunnels.Add(2)
		go func() { defer tunnels.Done(); _, _ = io.Copy(up, buf); up.Close() }()
		go func() { defer tunnels.Done(); _, _ = io.Copy(conn, up); conn.Close() }()
	}))
	t.Cleanup(func() { p.CloseClientConnections(); p.Close(); tunnels.Wait() })
	return p
}

// The default HTTPClient takes HTTPS_PROXY from the environment: token and
// API requests to an https gateway go through the proxy's CONNECT tunnel
// with the proxy's credentials, and a proxy that refuses (407, 502) gives an
// error that blames the proxy, reaches no gateway, and carries none of the
// proxy's credentials. net/http reads the environment once per process, so
// each case runs in a child process; the gateway is a TLS server trusted
// there through SSL_CERT_FILE, named example.com (its certificate's name,
// and not loopback, which net/http would not proxy).
func TestDefaultHTTPClientUsesHTTPSProxyFromEnvironment(t *testing.T) {
	if os.Getenv("TELENOR_PROXY_CHILD") != "" {
		proxyChild()
		return
	}
	srv := telenortest.NewUnstartedServer()
	gw := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(func() { gw.CloseClientConnections(); gw.Close(); srv.Close() })
	certFile := filepath.Join(t.TempDir(), "gateway.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: gw.Certificate().Raw}), 0o600))
	_, port, _ := net.SplitHostPort(gw.Listener.Addr().String())

	for _, tt := range []struct {
		status int
		want   string // in the child's output
	}{
		{http.StatusOK, "token ok; organizations ok"},
		{http.StatusProxyAuthRequired, `the HTTPS proxy 127.0.0.1:`},
		{http.StatusBadGateway, `answered CONNECT with "502 Bad Gateway"; check HTTPS_PROXY`},
	} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			before := srv.TokenRequests()
			p := newConnectProxy(t, tt.status, gw.Listener.Addr().String())
			proxyURL := strings.Replace(p.URL, "http://", "http://corp-user:"+proxyPassword+"@", 1)
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestDefaultHTTPClientUsesHTTPSProxyFromEnvironment$", "-test.count=1")
			cmd.Env = append(os.Environ(), "TELENOR_PROXY_CHILD=1", "HTTPS_PROXY="+proxyURL, "https_proxy=", "NO_PROXY=", "no_proxy=",
				"SSL_CERT_FILE="+certFile, "TELENOR_BASE_URL=https://example.com:"+port)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), tt.want)
			assert.NotContains(t, string(out), proxyPassword)
			assert.NotContains(t, string(out), base64.StdEncoding.EncodeToString([]byte("corp-user:"+proxyPassword)))
			require.Positive(t, int(p.connects.Load()), "the requests went to the proxy")
			p.mu.Lock()
			defer p.mu.Unlock()
			for _, a := range p.auth {
				assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("corp-user:"+proxyPassword)), a)
			}
			if tt.status == http.StatusOK {
				assert.Equal(t, 1, srv.TokenRequests()-before)
				return
			}
			assert.Equal(t, before, srv.TokenRequests(), "nothing got past the proxy")
			assert.EqualValues(t, 1, p.connects.Load(), "a refusing proxy is asked once: its answer will not change")
		})
	}
}

// proxyChild runs in the child process: one token and one API call with the
// default HTTPClient, printing the outcome with every verb.
func proxyChild() {
	cli, err := telenor.NewClient(telenor.Config{ClientID: telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret, BaseURL: os.Getenv("TELENOR_BASE_URL")})
	if err != nil {
		fmt.Println("NewClient:", err)
		os.Exit(0)
	}
	s := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	if _, err := s.Token(context.Background()); err != nil {
		fmt.Printf("token: %v\n%+v\n%#v\n", err, err, err)
		os.Exit(0)
	}
	if _, err := s.Organizations(context.Background()); err != nil {
		fmt.Printf("organizations: %v\n", err)
		os.Exit(0)
	}
	fmt.Println("token ok; organizations ok")
	os.Exit(0) // before goleak: the default client keeps its idle connections
}
