package interop

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// faultProxy is toxiproxy, in process, between the SDK and telenortest on
// real loopback sockets: the faults happen in the kernel's TCP stack and
// in net/http's connection pool, not in an in-memory transport.
type faultProxy struct {
	proxy *toxiproxy.Proxy
	url   string // http://127.0.0.1:PORT, the SDK's BaseURL
}

// newFaultProxy starts a proxy to upstream (a server's URL), stopped when
// the test ends.
func newFaultProxy(t *testing.T, upstream string) *faultProxy {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	api := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	p := toxiproxy.NewProxy(api, "sdk", "127.0.0.1:0", u.Host)
	if err := p.Start(); err != nil {
		t.Fatalf("toxiproxy: %v", err)
	}
	t.Cleanup(p.Stop)
	return &faultProxy{proxy: p, url: "http://" + p.Listen}
}

// toxic adds a toxic of kind on stream ("upstream": client to server,
// "downstream": server to client) to every connection, open or new.
func (f *faultProxy) toxic(t *testing.T, kind, stream string, attrs map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"name": kind + "_" + stream, "type": kind, "stream": stream, "toxicity": 1.0, "attributes": attrs,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.proxy.Toxics.AddToxicJson(bytes.NewReader(body)); err != nil {
		t.Fatalf("toxiproxy: adding %s: %v", kind, err)
	}
}

// proxied is telenortest behind toxiproxy with an SDK Client pointed at
// the proxy through its own connection pool.
type proxied struct {
	srv *telenortest.Server
	fp  *faultProxy
	cli *telenor.Client
}

// newProxied starts the fake gateway, the proxy and a Client. The
// transport is a clone of http.DefaultTransport, what an application gets
// by default (contract item 11).
func newProxied(t *testing.T, edit func(*telenor.Config), opts ...telenortest.Option) *proxied {
	t.Helper()
	srv := telenortest.NewServer(opts...)
	t.Cleanup(srv.Close)
	fp := newFaultProxy(t, srv.URL)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	cfg := telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: fp.url, HTTPClient: hc,
	}
	if edit != nil {
		edit(&cfg)
	}
	return &proxied{srv: srv, fp: fp, cli: newClient(t, cfg)}
}

// system is the default system user's SystemSession.
func (p *proxied) system() *telenor.SystemSession {
	return p.cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
}

// user is an end user's UserSession with a token the fake issued.
func (p *proxied) user() *telenor.UserSession {
	return p.cli.RestoreUserSession(&oauth2.Token{AccessToken: p.srv.IssueUserToken()})
}
