package telenor

import (
	"net/http"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// A system user's token may not read user info (403), which makes the
// final answer of these tests a 403: what they count is the 401 handling
// before it.

func TestRevokedTokenRefetchedAndReplayed(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	first, err := s.Token(t.Context())
	require.NoError(t, err)
	srv.Revoke(first.AccessToken)

	_, err = s.UserInfo(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusForbidden, ae.StatusCode, "the replay reached the API with a valid token")
	assert.Equal(t, 2, srv.Requests(telenortest.UserInfoPath), "one 401, one replay")
	assert.Equal(t, 2, srv.TokenRequests(), "one new token")
	second, err := s.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, second.AccessToken)
}

func TestReplayOn401WithoutCode(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 401, Shape: telenortest.ShapeEmpty})
	_, err := systemSession(cli).UserInfo(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusForbidden, ae.StatusCode)
	assert.Equal(t, 2, srv.Requests(telenortest.UserInfoPath))
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestPersistent401IsNotLooped(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	srv.Fail(telenortest.UserInfoPath, 100, telenortest.Fault{Status: 401, Code: CodeTokenExpired})
	_, err := s.UserInfo(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, CodeTokenExpired, ae.Code)
	assert.NotErrorIs(t, err, ErrReauthenticate, "a system user's Session can renew itself")
	assert.Equal(t, 2, srv.Requests(telenortest.UserInfoPath), "one replay, no loop")
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestOther401CodesAreNotReplayed(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 401, Code: 40103})
	_, err := systemSession(cli).UserInfo(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 40103, ae.Code)
	assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath))
	assert.Equal(t, 1, srv.TokenRequests())
}

func TestUserSession401IsNotReplayed(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 401, Code: CodeTokenInvalid})
	_, err := userSession(cli, srv).UserInfo(t.Context())
	assert.ErrorIs(t, err, ErrReauthenticate)
	assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath))
	assert.Zero(t, srv.TokenRequests())
}

func TestHTTPClientReplaysGET(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	srv.Fail(telenortest.DeviceInfoPath, 1, telenortest.Fault{Status: 401, Code: CodeTokenInvalid})
	resp, err := s.HTTPClient().Get(srv.URL + telenortest.DeviceInfoPath)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, 2, srv.Requests(telenortest.DeviceInfoPath))
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestColdSessionConcurrentCallsFetchOneToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t)
		s := systemSession(cli)
		var wg sync.WaitGroup
		errs := make([]error, 300)
		for i := range errs {
			wg.Go(func() { _, errs[i] = s.UserInfo(t.Context()) })
		}
		wg.Wait()
		for _, err := range errs {
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusForbidden, ae.StatusCode, "each call reached the API")
		}
		assert.Equal(t, 1, srv.TokenRequests())
		assert.Equal(t, 300, srv.Requests(telenortest.UserInfoPath))
	})
}
