package wire

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/telenor-go/telenor/internal/gateway"
)

func TestRequestID(t *testing.T) {
	h := http.Header{"X-Correlation-Id": {"corr"}, "Request-Id": {"req"}}
	assert.Equal(t, "corr", RequestID(h), "the most specific header first")
	h.Set("X-Request-Id", "id\x1b[2J"+strings.Repeat("x", 500))
	got := RequestID(h)
	assert.NotContains(t, got, "\x1b", "made printable")
	assert.True(t, strings.HasSuffix(got, "…"), "capped")
	assert.Less(t, len(got), 200)
	assert.Empty(t, RequestID(http.Header{}))
}

func TestRejectedToken(t *testing.T) {
	for _, tc := range []struct {
		status, code int
		text         string
		want         bool
	}{
		{401, gateway.CodeTokenInvalid, "40105", true},
		{401, gateway.CodeTokenExpired, "40106", true},
		{401, 0, "", true},
		{401, 0, "keymanagement.service.invalid_access_token", true},
		{401, 0, "oauth.v2.InvalidAccessToken", true},
		{401, gateway.CodeNoAPIProduct, "40103", false},
		{401, 0, "policies.ratelimit.SpikeArrestViolation", false},
		{403, gateway.CodeTokenExpired, "40106", false},
	} {
		assert.Equal(t, tc.want, RejectedToken(tc.status, tc.code, tc.text), "%d %d %q", tc.status, tc.code, tc.text)
	}
}

func TestQuotaAndTransient(t *testing.T) {
	assert.True(t, GatewayError{Code: gateway.CodeQuotaExceeded}.Quota())
	assert.True(t, GatewayError{CodeText: "policies.ratelimit.QuotaViolation"}.Quota())
	assert.False(t, GatewayError{Code: gateway.CodeSpikeArrest}.Quota())

	assert.True(t, TransientServerError(503, 0))
	assert.True(t, TransientServerError(500, 500100))
	for _, tc := range [][2]int{{501, 0}, {505, 0}, {500, gateway.CodeACRInvalid}, {500, gateway.CodeSubscription}} {
		assert.False(t, TransientServerError(tc[0], tc[1]), "%v", tc)
	}
}

func TestErrorObject(t *testing.T) {
	for body, want := range map[string]bool{
		`{"errorCode":40301,"description":"Invalid scope"}`: true,
		`{"fault":{"faultstring":"x"}}`:                     true,
		`{"error":"invalid_token"}`:                         true,
		`{"error":{"code":1}}`:                              true,
		`{"code":"4042000","message":"not found"}`:          true,
		`{"code":7}`:       false,
		`{"fault":"text"}`: false,
		`{"mobileNumber":"4790012345","errorCode":1}`: false,
		`{"MOBILENUMBER":"","message":"hi","code":1}`: false,
		`[{"errorCode":1}]`:                           false,
		`not json`:                                    false,
	} {
		assert.Equal(t, want, ErrorObject([]byte(body), "mobileNumber"), body)
	}
}
