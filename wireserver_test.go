package telenor

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// wireServer is a loopback HTTP/1.1 server whose handler the test writes.
// It counts, on the server side, the requests it read and the TCP
// connections it accepted: what reached the wire, not what the SDK
// believes it sent.
type wireServer struct {
	*httptest.Server
	requests, conns atomic.Int64
}

func newWireServer(t testing.TB, h http.HandlerFunc, configure ...func(*http.Server)) *wireServer {
	t.Helper()
	ws := &wireServer{}
	ws.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws.requests.Add(1)
		h(w, r)
	}))
	ws.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			ws.conns.Add(1)
		}
	}
	for _, c := range configure {
		c(ws.Config)
	}
	ws.Start()
	t.Cleanup(ws.Close)
	return ws
}

// client is a Client for ws (BaseURL ws.URL, ws's own HTTP client, 1 ms
// backoff) with edit applied to its Config.
func (ws *wireServer) client(t testing.TB, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		ClientID: "id", ClientSecret: "secret", BaseURL: ws.URL, HTTPClient: ws.Client(),
		Retry: RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
	}
	for _, e := range edit {
		e(&cfg)
	}
	cli, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cli
}

// user is an end user's session on ws with a fixed token.
func (ws *wireServer) user(t testing.TB, edit ...func(*Config)) *UserSession {
	t.Helper()
	return ws.client(t, edit...).RestoreUserSession(&oauth2.Token{AccessToken: "user-token", Expiry: time.Now().Add(time.Hour)})
}

// system is a system user's session on ws whose token endpoint is a
// function issuing "system-token" for an hour: ws serves only the API.
func (ws *wireServer) system(t testing.TB, edit ...func(*Config)) *SystemSession {
	t.Helper()
	return ws.client(t, edit...).newSystemSession(func(context.Context) (issued, error) {
		now := time.Now()
		return issued{Tok: &oauth2.Token{AccessToken: "system-token", Expiry: now.Add(time.Hour)}, Sent: now}, nil
	})
}

// abortConn resets the request's connection (RST, not FIN), as a
// middlebox dropping a pooled keep-alive connection does.
func abortConn(t testing.TB, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
