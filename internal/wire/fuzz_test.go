package wire

import (
	"testing"
	"unicode/utf8"
)

// seedBodies are shapes seen (or feared) from Telenor's gateway.
var seedBodies = []string{
	`{"httpStatus":401,"httpMessage":"Unauthorized","description":"Invalid credentials","errorCode":40106}`,
	`{"code":"40106","message":"Unauthorized"}`,
	`{"fault":{"faultstring":"Spike arrest violation","detail":{"errorcode":"policies.ratelimit.SpikeArrestViolation"}}}`,
	`{"error":"invalid_grant","error_description":"Bad credentials"}`,
	`{"error":{"code":4042000,"message":"x"}}`,
	`{"access_token":"4P..uY","expires_in":3599}`,
	`{"access_token":"a","Expires_In":"3599","expires_in":1e300}`,
	`<html><body>502 Bad Gateway</body></html>`,
	``, `{`, `[]`, `null`, `{"a":"\u00e6\ud800"}`,
}

func FuzzParseGatewayError(f *testing.F) {
	for _, s := range seedBodies {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		g, ok := ParseGatewayError(body)
		if !ok && g != (GatewayError{}) {
			t.Fatalf("ok=false with non-zero %+v", g)
		}
		for _, s := range []string{g.CodeText, g.Message, g.OAuthError, g.OAuthDescription} {
			if len(s) > MaxText || !utf8.ValidString(s) {
				t.Fatalf("bad field %q", s)
			}
		}
		if g.Code < 0 {
			t.Fatalf("negative code %d", g.Code)
		}
	})
}
