package telenor

import (
	"github.com/telenor-go/telenor/internal/tokenhttp"

	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// Security checks of the issue-8 review, beside the ones that live with
// their feature: non-loopback http:// refused (TestNewClientRejectsBadConfig),
// no Bearer to another host, redirects included, for typed methods and
// HTTPClient (TestNoBearerOnCrossHostRedirect, TestFaultMatrixAPI), API
// bodies capped at 1 MiB (TestHugeBodyIsAnErrorNotOOM), states compared in
// constant time (internal/cookie TestSameStateConstantTimePath).

// Token responses are read through a 64 KiB limit: a token answer just
// under it decodes, one byte over is ErrMalformedResponse, one request.
func TestTokenBodyCappedAt64KiB(t *testing.T) {
	body := func(size int) string {
		head := `{"access_token":"tok","expires_in":3599,"pad":"`
		return head + strings.Repeat("a", size-len(head)-2) + `"}`
	}
	for _, tc := range []struct {
		size int
		ok   bool
	}{{tokenhttp.MaxBody, true}, {tokenhttp.MaxBody + 1, false}} {
		synctest.Test(t, func(t *testing.T) {
			srv, cli := newMemClient(t)
			b := body(tc.size)
			require.Len(t, b, tc.size)
			srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 200, Body: b})
			tok, err := systemSession(cli).Token(t.Context())
			assert.Equal(t, 1, srv.TokenRequests())
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, "tok", tok.AccessToken)
				return
			}
			assert.ErrorIs(t, err, ErrMalformedResponse)
		})
	}
}
