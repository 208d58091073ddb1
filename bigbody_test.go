package telenor

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/telenor-go/telenor/telenortest"
)

func TestHugeBodyIsAnErrorNotOOM(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := userSession(cli, srv)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Size: 100 << 20})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := s.UserInfo(t.Context())
	runtime.ReadMemStats(&after)
	assert.ErrorIs(t, err, ErrMalformedResponse)
	assert.Contains(t, err.Error(), "exceeds")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<20), "read through the 1 MiB limit, not buffered")
}
