package telenor

import (
	"bufio"
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// Calling a company API on an end user's session, or the Mobile User API
// on a system user's, does not compile; nor does converting one session
// into the other. testdata/wrongidentity holds such calls, each marked
// with the compiler error it must cause, and the right calls as a
// control: the build must fail with exactly those errors.
func TestWrongIdentityDoesNotCompile(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	const dir = "testdata/wrongidentity"
	src, err := os.ReadFile(dir + "/wrongidentity.go")
	require.NoError(t, err)
	want := map[int]*regexp.Regexp{}
	marker := regexp.MustCompile(`// want "(.*)"$`)
	for i, line := range bytes.Split(src, []byte("\n")) {
		if m := marker.FindSubmatch(line); m != nil {
			want[i+1] = regexp.MustCompile(string(m[1]))
		}
	}
	require.Len(t, want, 10)

	out, err := exec.Command(goTool, "build", "-gcflags=-e", "-o", os.DevNull, "./"+dir).CombinedOutput()
	require.Error(t, err, "the wrong-identity program compiled")
	diag := regexp.MustCompile(`wrongidentity\.go:(\d+):\d+: (.*)`)
	got := map[int]bool{}
	for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); {
		m := diag.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		re, ok := want[line]
		if assert.True(t, ok, "unexpected compile error: %s", m[0]) {
			assert.Regexp(t, re, m[2])
		}
		got[line] = true
	}
	for line, re := range want {
		assert.True(t, got[line], "line %d compiled; want error %q\n%s", line, re, out)
	}
}

// The type rules end at the typed methods: a session's HTTPClient sends
// its token wherever the app asks on the API host, and the gateway's
// refusal of the wrong identity (403, 40301) comes back as it is, neither
// retried nor replayed with a new token.
func TestWrongIdentityThroughHTTPClientGetsTheGatewayAnswer(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	for _, tc := range []struct {
		name string
		hc   *http.Client
		path string
	}{
		{"system user on user info", systemSession(cli).HTTPClient(), telenortest.UserInfoPath},
		{"end user on accounts", userSession(cli, srv).HTTPClient(), telenortest.AccountsPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.TokenRequests()
			resp, err := tc.hc.Get(srv.URL + tc.path)
			require.NoError(t, err)
			ae := newAPIError(httptest.NewRequest(http.MethodGet, tc.path, nil), resp)
			resp.Body.Close()
			assert.Equal(t, http.StatusForbidden, ae.StatusCode)
			assert.Equal(t, 40301, ae.Code)
			assert.Equal(t, 1, srv.Requests(tc.path), "a 403 is not retried")
			assert.LessOrEqual(t, srv.TokenRequests()-before, 1, "nor replayed with a new token")
		})
	}
}
