package telenor

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestNewClientRejectsBadConfig(t *testing.T) {
	ok := Config{ClientID: "id", ClientSecret: "s3cr3t-value"}
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"empty id", func(c *Config) { c.ClientID = " " }, "ClientID"},
		{"empty secret", func(c *Config) { c.ClientSecret = "" }, "ClientSecret"},
		{"unparsable base", func(c *Config) { c.BaseURL = "https://bad host/%zz" }, "BaseURL"},
		{"relative base", func(c *Config) { c.BaseURL = "api.telenor.no" }, "BaseURL"},
		{"ftp base", func(c *Config) { c.BaseURL = "ftp://api.telenor.no" }, "BaseURL"},
		{"plain http remote", func(c *Config) { c.BaseURL = "http://api.telenor.no" }, "BaseURL"},
		{"user info", func(c *Config) { c.BaseURL = "https://u:p@api.telenor.no" }, "BaseURL"},
		{"base with path", func(c *Config) { c.BaseURL = "https://api.telenor.no/oauth" }, "BaseURL"},
		{"base with path and slash", func(c *Config) { c.BaseURL = "https://api.telenor.no/v1/" }, "BaseURL"},
		{"base with query", func(c *Config) { c.BaseURL = "https://api.telenor.no?key=s3cr3t-value" }, "BaseURL"},
		{"base with empty query", func(c *Config) { c.BaseURL = "https://api.telenor.no/?" }, "BaseURL"},
		{"base with fragment", func(c *Config) { c.BaseURL = "https://api.telenor.no#frag" }, "BaseURL"},
		{"http token url", func(c *Config) { c.Endpoint.PasswordTokenURL = "http://10.0.0.1/oauth/token" }, "Endpoint.PasswordTokenURL"},
		{"bad auth url", func(c *Config) { c.Endpoint.AuthURL = "::" }, "Endpoint.AuthURL"},
		{"relative redirect", func(c *Config) { c.RedirectURL = "/callback" }, "RedirectURL"},
		{"negative timeout", func(c *Config) { c.TokenTimeout = -1 }, "TokenTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			cli, err := NewClient(cfg)
			require.Error(t, err)
			assert.Nil(t, cli)
			assert.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), tt.field)
			assert.NotContains(t, err.Error(), "s3cr3t-value")
		})
	}
}

func TestNewClientDerivesEndpoints(t *testing.T) {
	cli, err := NewClient(Config{ClientID: "id", ClientSecret: "s"})
	require.NoError(t, err)
	assert.Equal(t, Endpoint{
		PasswordTokenURL: "https://api.telenor.no/oauth/token",
		AuthURL:          "https://api.telenor.no/oauth/v2/authorize",
		TokenURL:         "https://api.telenor.no/oauth/v2/token",
		LogoutURL:        "https://api.telenor.no/oauth/v2/logout",
	}, cli.Endpoint())

	cli, err = NewClient(Config{ClientID: "id", ClientSecret: "s", BaseURL: "https://test-api.telenor.no/",
		Endpoint: Endpoint{PasswordTokenURL: "https://test-api.telenor.no/oauth/v2/token"}})
	require.NoError(t, err)
	assert.Equal(t, "https://test-api.telenor.no/oauth/v2/token", cli.Endpoint().PasswordTokenURL)
	assert.Equal(t, "https://test-api.telenor.no/oauth/v2/authorize", cli.Endpoint().AuthURL)
}

func TestNewClientAllowsLoopbackHTTP(t *testing.T) {
	for _, base := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://api.telenor.no/"} {
		_, err := NewClient(Config{ClientID: "id", ClientSecret: "s", BaseURL: base})
		assert.NoError(t, err, base)
	}
}

func TestZeroSessionFailsCleanly(t *testing.T) {
	type session interface {
		Token(context.Context) (*oauth2.Token, error)
		TokenSource(context.Context) oauth2.TokenSource
		Invalidate(string) bool
		Logout(context.Context) error
		HTTPClient() *http.Client
	}
	for _, s := range []session{(*SystemSession)(nil), (*UserSession)(nil), &SystemSession{}, &UserSession{}} {
		_, err := s.Token(t.Context())
		assert.ErrorIs(t, err, ErrInvalidConfig)
		_, err = s.TokenSource(t.Context()).Token()
		assert.ErrorIs(t, err, ErrInvalidConfig)
		assert.False(t, s.Invalidate("x"))
		assert.ErrorIs(t, s.Logout(t.Context()), ErrInvalidConfig)
		assert.Nil(t, s.HTTPClient())
	}
	_, err := (&UserSession{}).UserInfo(t.Context())
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

func TestAuthErrorIs(t *testing.T) {
	assert.True(t, errors.Is(&AuthError{Code: "access_denied"}, ErrAccessDenied))
	assert.True(t, errors.Is(&AuthError{StatusCode: 401, GatewayCode: 40108}, ErrInvalidClient))
	assert.True(t, errors.Is(&AuthError{StatusCode: 401, Code: "invalid_client"}, ErrInvalidClient))
	assert.True(t, errors.Is(&AuthError{StatusCode: 400, Code: "invalid_grant"}, ErrInvalidGrant))
	assert.False(t, errors.Is(&AuthError{StatusCode: 400, Code: "invalid_grant"}, ErrInvalidClient))
	assert.True(t, errors.Is(&APIError{StatusCode: http.StatusTooManyRequests}, ErrRateLimited))
	msg := (&APIError{Method: "GET", Path: "/x", StatusCode: 404, Code: 4042000, RequestID: "r1"}).Error()
	assert.True(t, strings.Contains(msg, "4042000") && strings.Contains(msg, "r1"), msg)
}
