package telenor

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
)

// bigQuotaBody is a 429 body of about size bytes whose gateway code comes
// after a long description, past the first maxErrorBody bytes.
func bigQuotaBody(size int) string {
	return `{"httpStatus":429,"httpMessage":"Too Many Requests","description":"` +
		strings.Repeat("q", size) + `","errorCode":42901}`
}

func TestLongQuotaBodyIsNotRetriedAndKeepsTheConnection(t *testing.T) {
	body := bigQuotaBody(20 << 10)
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == gateway.DeviceInfoPath {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"model":"X"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(body))
	})
	s := ws.user(t)
	_, err := s.UserInfo(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, CodeQuotaExceeded, ae.Code, "the code is read past the first 4 KiB")
	assert.Len(t, ae.Body, maxErrorBody, "the kept body stays capped")
	assert.Equal(t, int64(1), ws.requests.Load(), "a quota 429 is not retried")

	_, err = s.DeviceInfo(t.Context())
	require.NoError(t, err)
	assert.Equal(t, int64(1), ws.conns.Load(), "the error body was drained: the connection is reused")
}

func TestHugeErrorBodyThroughHTTPClientIsIntact(t *testing.T) {
	body := `{"errorCode":42901,"description":"` + strings.Repeat("q", 100<<10) + `"}`
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(body))
	})
	resp, err := ws.user(t).HTTPClient().Get(ws.URL + gateway.UserInfoPath)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, body, string(got), "the peek for the gateway code gives the body back whole")
	assert.Equal(t, int64(1), ws.requests.Load(), "the code at the start of a 100 KiB body is found: not retried")
}
