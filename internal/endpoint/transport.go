package endpoint

import "net/http"

// DefaultTransport is the transport of a Client's own HTTP client: a
// clone of http.DefaultTransport keeping 64 idle connections per host
// (net/http's 2 make concurrent callers open connections) and naming a
// proxy that refuses the tunnel. A replaced http.DefaultTransport (httpmock
// does that) is used as it is.
func DefaultTransport() http.RoundTripper {
	tr, ok := http.DefaultTransport.(*http.Transport)
	switch {
	case !ok && http.DefaultTransport != nil:
		return http.DefaultTransport
	case tr == nil: // nil, or a nil *http.Transport: net/http's defaults
		tr = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	default:
		tr = tr.Clone()
	}
	tr.MaxIdleConnsPerHost = 64
	tr.MaxIdleConns = max(tr.MaxIdleConns, 64)
	tr.OnProxyConnectResponse = ProxyRefused
	return tr
}
