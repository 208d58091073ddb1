package endpoint

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/telenor-go/telenor/internal/wire"
)

// ProxyRefused is an http.Transport's OnProxyConnectResponse: net/http
// alone reports a proxy's refusal as its bare status text ("Bad Gateway"),
// which reads like the gateway's own answer.
func ProxyRefused(_ context.Context, proxy *url.URL, _ *http.Request, res *http.Response) error {
	if res.StatusCode == http.StatusOK {
		return nil
	}
	return fmt.Errorf("the HTTPS proxy %s answered CONNECT with %q; check HTTPS_PROXY and the proxy's credentials",
		proxy.Host, wire.OneLine(res.Status, 100))
}
