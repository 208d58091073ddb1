package tokenhttp

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRedirectTargetNamesSchemeAndHostOnly(t *testing.T) {
	req := &http.Request{URL: &url.URL{Scheme: "https", Host: "api.example", Path: "/oauth/token"}}
	for loc, want := range map[string]string{
		"":                               "nowhere (no Location)",
		"/elsewhere?code=secret":         "https://api.example",
		"http://evil.example/x?code=abc": "http://evil.example",
		"%zz":                            "an unparsable Location",
	} {
		resp := &http.Response{StatusCode: http.StatusTemporaryRedirect, Header: http.Header{"Location": {loc}}, Request: req}
		assert.Equal(t, want, RedirectTarget(resp), loc)
	}
	assert.Empty(t, RedirectTarget(&http.Response{StatusCode: 200}))
}
