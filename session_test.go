package telenor

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestRestoredUserSessionExpiresIntoReauthenticate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t)
		stored := &oauth2.Token{AccessToken: srv.IssueUserToken(), Expiry: time.Now().Add(time.Hour)}
		s := cli.RestoreUserSession(stored)
		tok, err := s.Token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, stored.AccessToken, tok.AccessToken)
		assert.NotSame(t, stored, tok, "the caller keeps its own token value")

		time.Sleep(time.Hour)
		_, err = s.Token(t.Context())
		assert.ErrorIs(t, err, ErrReauthenticate)
		assert.Zero(t, srv.TokenRequests(), "a user Session never asks the token endpoint")
	})
}

func TestRestoredUserSessionEdgeCases(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, cli := newMemClient(t)
		for _, tok := range []*oauth2.Token{nil, {}, {AccessToken: "x", Expiry: time.Now().Add(-time.Second)}} {
			_, err := cli.RestoreUserSession(tok).Token(t.Context())
			assert.ErrorIs(t, err, ErrReauthenticate)
		}
		noExpiry, err := cli.RestoreUserSession(&oauth2.Token{AccessToken: "x"}).Token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, time.Now().Add(DefaultTokenLifetime), noExpiry.Expiry, "never valid forever")
	})
}

func TestUserSessionInvalidatedTokenAsksForReauthentication(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, cli := newMemClient(t)
		s := cli.RestoreUserSession(&oauth2.Token{AccessToken: "user-token", Expiry: time.Now().Add(time.Hour)})
		assert.False(t, s.Invalidate("some-other-token"))
		assert.True(t, s.Invalidate("user-token"))
		_, err := s.Token(t.Context())
		assert.ErrorIs(t, err, ErrReauthenticate)
	})
}
