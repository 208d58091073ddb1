package telenor

import (
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
// bodies capped at 1 MiB (TestHugeBodyIsAnErrorNotOOM).

// sameState hashes both sides with SHA-256 and compares the digests with
// crypto/subtle, so its time depends neither on where the states differ
// nor on their lengths; it fails closed on an empty state. Timing cannot
// be asserted without wall clocks, so this pins the behaviour of that path.
func TestSameStateConstantTimePath(t *testing.T) {
	s := NewState()
	flip := []byte(s)
	flip[len(flip)-1] ^= 1
	for _, tc := range []struct {
		name      string
		got, want string
		same      bool
	}{
		{"equal", s, s, true},
		{"equal length, last byte differs", string(flip), s, false},
		{"prefix", s[:len(s)-1], s, false},
		{"longer", s + "x", s, false},
		{"empty got", "", s, false},
		{"empty want fails closed", s, "", false},
		{"both empty fails closed", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.same, sameState(tc.got, tc.want))
		})
	}
}

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
	}{{maxTokenBody, true}, {maxTokenBody + 1, false}} {
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
