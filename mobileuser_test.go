package telenor

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// userSession is a user Session for srv's subscriber, as after consent.
func userSession(cli *Client, srv *telenortest.Server) *UserSession {
	return cli.RestoreUserSession(&oauth2.Token{AccessToken: srv.IssueUserToken(), Expiry: time.Now().Add(time.Hour)})
}

func TestUserInfoOverLoopback(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	info, err := userSession(cli, srv).UserInfo(t.Context())
	require.NoError(t, err)
	sub := srv.Subscriber()
	assert.Equal(t, sub.MobileNumber, info.MobileNumber)
	assert.Equal(t, exported(Name{GivenName: "Kari", FamilyName: "Nordmann"}), exported(info.Name))
	assert.Equal(t, "Snarøyveien", info.Address.StreetAddress)
	assert.Equal(t, "Fornebu", info.Address.PostalLocation)
	assert.Equal(t, "Snarøyveien 30 A, 1360 Fornebu", info.Address.FormattedAddress)
	assert.Nil(t, info.Address.Unknown())
	assert.Equal(t, BirthDate{Year: 1985, Month: time.April, Day: 17, Raw: "1985-04-17"}, info.BirthDate)
	assert.Equal(t, sub.EmailAddress, info.EmailAddress)
	assert.Nil(t, info.Unknown())
	assert.Zero(t, srv.TokenRequests(), "a user Session never asks the token endpoint")
}

func TestDeviceInfoOverLoopback(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	dev, err := userSession(cli, srv).DeviceInfo(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "iPhone 15", dev.Model)
	assert.Equal(t, "Apple", dev.Manufacturer)
	assert.Equal(t, "35407115", dev.TAC)
	require.NotNil(t, dev.Capabilities.LTEAdvanced)
	assert.True(t, *dev.Capabilities.LTEAdvanced)
	assert.Equal(t, map[string]json.RawMessage{"volte": json.RawMessage("true")}, dev.Capabilities.Unknown())
}

func TestUnknownCapabilityIsNil(t *testing.T) {
	sub := telenortest.DefaultSubscriber()
	sub.Device.Capabilities = map[string]bool{"lte": false}
	srv := telenortest.NewServer(telenortest.WithSubscriber(sub))
	cli := newTestClient(t, srv)
	dev, err := userSession(cli, srv).DeviceInfo(t.Context())
	require.NoError(t, err)
	assert.Nil(t, dev.Capabilities.HDVoice, "absent means unknown")
	assert.Nil(t, dev.Capabilities.LTEAdvanced)
	require.NotNil(t, dev.Capabilities.LTE)
	assert.False(t, *dev.Capabilities.LTE)
}

func TestLogout(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := userSession(cli, srv)
	tok, err := s.Token(t.Context())
	require.NoError(t, err)
	require.NoError(t, s.Logout(t.Context()))
	info, _ := srv.LookupToken(tok.AccessToken)
	assert.True(t, info.Revoked, "the gateway revoked the token")
	_, err = s.UserInfo(t.Context())
	assert.ErrorIs(t, err, ErrReauthenticate, "the Session dropped its token")
	assert.Equal(t, 1, srv.Requests(telenortest.LogoutPath))
	assert.Zero(t, srv.Requests(telenortest.UserInfoPath), "no request without a token")
	assert.ErrorIs(t, s.Logout(t.Context()), ErrReauthenticate, "logging out twice: nothing left to log out")
	assert.Equal(t, 1, srv.Requests(telenortest.LogoutPath), "the second logout sends nothing")
}

func TestLogoutOfRejectedToken(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := userSession(cli, srv)
	srv.Fail(telenortest.LogoutPath, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired})
	err := s.Logout(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae, "a 401 confirms nothing")
	assert.Equal(t, gateway.CodeTokenExpired, ae.Code)
	assert.ErrorIs(t, err, ErrReauthenticate)
	assert.Equal(t, 1, srv.Requests(telenortest.LogoutPath))
}

func TestLogoutOfSystemSessionIsNotReplayed(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	s := systemSession(cli)
	srv.Fail(telenortest.LogoutPath, 1, telenortest.Fault{Status: 500, Code: 50001})
	srv.Fail(telenortest.LogoutPath, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenInvalid})
	var ae *APIError
	require.ErrorAs(t, s.Logout(t.Context()), &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, 2, srv.Requests(telenortest.LogoutPath), "a 5xx is retried, a 401 not replayed")
	assert.Equal(t, 1, srv.TokenRequests())
}

func TestUserTokenRejected(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reject func(srv *telenortest.Server, token string)
		code   int
	}{
		{"revoked", (*telenortest.Server).Revoke, gateway.CodeTokenInvalid},
		{"expired early", (*telenortest.Server).Expire, gateway.CodeTokenExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := telenortest.NewServer()
			cli := newTestClient(t, srv)
			s := userSession(cli, srv)
			tok, _ := s.Token(t.Context())
			tc.reject(srv, tok.AccessToken)
			_, err := s.UserInfo(t.Context())
			assert.ErrorIs(t, err, ErrReauthenticate)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.code, ae.Code)
			assert.NotContains(t, err.Error(), tok.AccessToken)
			_, err = s.DeviceInfo(t.Context())
			assert.ErrorIs(t, err, ErrReauthenticate)
			assert.Equal(t, 1, srv.Requests(telenortest.UserInfoPath)+srv.Requests(telenortest.DeviceInfoPath),
				"the rejected token is dropped: the second call sends nothing")
		})
	}
}
