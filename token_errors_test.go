package telenor

import (
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// tokenErrorOnce runs one SystemSession.Token against a token endpoint that
// answers f every time, and returns the error and the requests made.
func tokenErrorOnce(t *testing.T, f telenortest.Fault) (ae *AuthError, requests int, err error) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t)
		srv.Fail(telenortest.PasswordTokenPath, 1<<20, f)
		_, err = systemSession(cli).Token(t.Context())
		requests = srv.TokenRequests()
	})
	require.ErrorAs(t, err, &ae)
	return ae, requests, err
}

// RFC 6749 §5.2: a 401 from the token endpoint is a failed client
// authentication, whatever its body says (or does not say).
func TestTokenEndpoint401IsInvalidClient(t *testing.T) {
	for name, f := range map[string]telenortest.Fault{
		"empty":             {Status: 401, Shape: telenortest.ShapeEmpty},
		"text":              {Status: 401, Body: "Unauthorized", ContentType: "text/plain"},
		"HTML":              {Status: 401, Shape: telenortest.ShapeHTML},
		"JSON without code": {Status: 401, Body: `{"message":"who are you"}`},
		"Apigee fault":      {Status: 401, Shape: telenortest.ShapeApigee},
		"Telenor 40108":     {Status: 401, Code: gateway.CodeInvalidClient},
	} {
		t.Run(name, func(t *testing.T) {
			ae, n, err := tokenErrorOnce(t, f)
			assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
			assert.ErrorIs(t, err, ErrInvalidClient)
			assert.NotErrorIs(t, err, ErrInvalidGrant)
			assert.Equal(t, 1, n, "not retried")
		})
	}
	t.Run("401 invalid_grant stays invalid_grant", func(t *testing.T) {
		_, _, err := tokenErrorOnce(t, telenortest.Fault{Status: 401, Body: `{"error":"invalid_grant"}`})
		assert.ErrorIs(t, err, ErrInvalidGrant)
		assert.NotErrorIs(t, err, ErrInvalidClient)
	})
}

// A 2xx token answer that is a gateway error object is that error, not a
// malformed token response.
func TestTokenEndpoint200WithGatewayError(t *testing.T) {
	t.Run("Telenor 40108", func(t *testing.T) {
		ae, n, err := tokenErrorOnce(t, telenortest.Fault{Status: 200,
			Body: `{"httpStatus":401,"httpMessage":"Unauthorized","description":"Invalid client","errorCode":40108}`})
		assert.Equal(t, http.StatusOK, ae.StatusCode)
		assert.Equal(t, gateway.CodeInvalidClient, ae.GatewayCode)
		assert.ErrorIs(t, err, ErrInvalidClient)
		assert.NotErrorIs(t, err, ErrMalformedResponse)
		assert.Contains(t, err.Error(), "Invalid client")
		assert.Equal(t, 1, n)
	})
	t.Run("Apigee fault", func(t *testing.T) {
		ae, n, err := tokenErrorOnce(t, telenortest.Fault{Status: 200, Shape: telenortest.ShapeApigee, Message: "Invalid ApiKey"})
		assert.Equal(t, http.StatusOK, ae.StatusCode)
		assert.NotErrorIs(t, err, ErrMalformedResponse)
		assert.Contains(t, err.Error(), "Invalid ApiKey")
		assert.Equal(t, 1, n)
	})
	t.Run("object without token or code stays malformed", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv, cli := newMemClient(t)
			srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 200, Body: `{"token_type":"bearer"}`})
			_, err := systemSession(cli).Token(t.Context())
			assert.ErrorIs(t, err, ErrMalformedResponse)
		})
	})
}
