package telenor

import (
	"net/http"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

func TestRevokedTokenRefetchedAndReplayed(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	first, err := s.Token(t.Context())
	require.NoError(t, err)
	srv.Revoke(first.AccessToken)

	orgs, err := s.Organizations(t.Context())
	require.NoError(t, err, "the replay reached the API with a valid token")
	assert.NotEmpty(t, orgs)
	assert.Equal(t, 2, srv.Requests(telenortest.OrganizationsPath), "one 401, one replay")
	assert.Equal(t, 2, srv.TokenRequests(), "one new token")
	second, err := s.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, second.AccessToken)
}

func TestReplayOn401WithoutCode(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Shape: telenortest.ShapeEmpty})
	_, err := systemSession(cli).Organizations(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Requests(telenortest.OrganizationsPath))
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestPersistent401IsNotLooped(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	srv.Fail(telenortest.OrganizationsPath, 100, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired})
	_, err := s.Organizations(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, gateway.CodeTokenExpired, ae.Code)
	assert.NotErrorIs(t, err, ErrReauthenticate, "a system user's session can renew itself")
	assert.Equal(t, 2, srv.Requests(telenortest.OrganizationsPath), "one replay, no loop")
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestOther401CodesAreNotReplayed(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: 40103})
	_, err := systemSession(cli).Organizations(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 40103, ae.Code)
	assert.Equal(t, 1, srv.Requests(telenortest.OrganizationsPath))
	assert.Equal(t, 1, srv.TokenRequests())
}

func TestUserSession401IsNotReplayed(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenInvalid})
	_, err := userSession(cli, srv).UserInfo(t.Context())
	assert.ErrorIs(t, err, ErrReauthenticate)
	assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath))
	assert.Zero(t, srv.TokenRequests())
}

func TestHTTPClientReplaysGET(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	srv.Fail(telenortest.DeviceInfoPath, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenInvalid})
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
			wg.Go(func() { _, errs[i] = s.Organizations(t.Context()) })
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err, "each call reached the API with the token")
		}
		assert.Equal(t, 1, srv.TokenRequests())
		assert.Equal(t, 300, srv.Requests(telenortest.OrganizationsPath))
	})
}
