package webapp_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// With the fake's consent page (what `linkauth -fake` runs), the browser
// answers the page's form as a user clicking Approve or Deny would.
func TestConsentPageFlow(t *testing.T) {
	for decision, want := range map[string]string{
		"approve": `<dd id="mobile-number" class="nowrap">+47 900 12 345</dd>`,
		"deny":    "You chose not to share your information with this app",
	} {
		t.Run(decision, func(t *testing.T) {
			e := newEnv(t, telenortest.ConsentPage)
			consent := e.do(t, http.MethodPost, "/login")
			require.Equal(t, telenortest.AuthPath, consent.path)
			assert.Contains(t, consent.body, "Kari Nordmann")
			m := regexp.MustCompile(`name="request" value="([^"]+)"`).FindStringSubmatch(consent.body)
			require.Len(t, m, 2, "the consent page has a request id")

			form := url.Values{"request": {m[1]}, "decision": {decision}}
			resp, err := e.browser.Post(e.gw.URL+telenortest.AuthPath, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
			require.NoError(t, err)
			defer resp.Body.Close()
			var body strings.Builder
			_, err = io.Copy(&body, resp.Body)
			require.NoError(t, err)
			assert.Contains(t, unescape(body.String()), want)
		})
	}
}
