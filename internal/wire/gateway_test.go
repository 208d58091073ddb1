package wire

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseGatewayError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want GatewayError
		ok   bool
	}{
		{
			name: "telenor numeric errorCode",
			body: `{"httpStatus":401,"httpMessage":"Unauthorized","description":"Invalid credentials","errorCode":40106,"moreInfo":""}`,
			want: GatewayError{Code: 40106, CodeText: "40106", Message: "Invalid credentials"},
			ok:   true,
		},
		{
			name: "telenor string errorCode",
			body: `{"httpStatus":401,"httpMessage":"Unauthorized","errorCode":"40106"}`,
			want: GatewayError{Code: 40106, CodeText: "40106", Message: "Unauthorized"},
			ok:   true,
		},
		{
			name: "seven digit code",
			body: `{"errorCode":4042000,"description":"Subscription not found"}`,
			want: GatewayError{Code: 4042000, CodeText: "4042000", Message: "Subscription not found"},
			ok:   true,
		},
		{
			name: "six digit string code with message",
			body: `{"code":"500100","message":"  Internal error \n"}`,
			want: GatewayError{Code: 500100, CodeText: "500100", Message: "Internal error"},
			ok:   true,
		},
		{
			name: "error_code and case-insensitive keys",
			body: `{"Error_Code":42902,"MESSAGE":"Too many requests"}`,
			want: GatewayError{Code: 42902, CodeText: "42902", Message: "Too many requests"},
			ok:   true,
		},
		{
			name: "errorCode wins over code",
			body: `{"code":"other","errorCode":40106}`,
			want: GatewayError{Code: 40106, CodeText: "40106"},
			ok:   true,
		},
		{
			name: "empty errorCode falls through to code",
			body: `{"errorCode":"","code":42902}`,
			want: GatewayError{Code: 42902, CodeText: "42902"},
			ok:   true,
		},
		{
			name: "apigee fault",
			body: `{"fault":{"faultstring":"Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=10, periodInMicroseconds=1000000, maxBurstMessageCount=1.0}","detail":{"errorcode":"policies.ratelimit.SpikeArrestViolation"}}}`,
			want: GatewayError{
				CodeText: "policies.ratelimit.SpikeArrestViolation",
				Message:  "Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=10, periodInMicroseconds=1000000, maxBurstMessageCount=1.0}",
			},
			ok: true,
		},
		{
			name: "apigee fault numeric string code",
			body: `{"fault":{"faultstring":"Invalid ApiKey","detail":{"errorcode":"40106"}}}`,
			want: GatewayError{Code: 40106, CodeText: "40106", Message: "Invalid ApiKey"},
			ok:   true,
		},
		{
			name: "oauth error",
			body: `{"error":"invalid_grant","error_description":"Bad user credentials"}`,
			want: GatewayError{Message: "Bad user credentials", OAuthError: "invalid_grant", OAuthDescription: "Bad user credentials"},
			ok:   true,
		},
		{
			name: "oauth error only",
			body: `{"error":"invalid_client"}`,
			want: GatewayError{Message: "invalid_client", OAuthError: "invalid_client"},
			ok:   true,
		},
		{
			name: "description preferred over message",
			body: `{"message":"m","description":"d","error_description":"e"}`,
			want: GatewayError{Message: "d", OAuthDescription: "e"},
			ok:   true,
		},
		{
			name: "nested error object",
			body: `{"error":{"code":40106,"message":"nested"}}`,
			want: GatewayError{Code: 40106, CodeText: "40106", Message: "nested"},
			ok:   true,
		},
		{
			name: "non-numeric and oversized codes",
			body: `{"code":"1234567890123"}`,
			want: GatewayError{CodeText: "1234567890123"},
			ok:   true,
		},
		{
			name: "negative and fractional codes stay text",
			body: `{"code":-1,"errorCode":401.5}`,
			want: GatewayError{CodeText: "401.5"},
			ok:   true,
		},
		{
			name: "junk member types ignored",
			body: `{"errorCode":true,"code":{"a":1},"message":["x"],"description":42,"fault":"str","error":null,"httpMessage":"OK then"}`,
			want: GatewayError{Message: "OK then"},
			ok:   true,
		},
		{name: "deeply nested junk", body: `{"fault":{"detail":{"errorcode":{"x":[[[]]]}}},"a":{"b":{"c":1}}}`},
		{name: "empty object", body: `{}`},
		{name: "blank strings", body: `{"message":"   ","code":" "}`},
		{name: "html", body: "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"},
		{name: "text", body: "Service Unavailable"},
		{name: "empty", body: ""},
		{name: "whitespace", body: " \n "},
		{name: "truncated json", body: `{"errorCode":40106,"description":"Inva`},
		{name: "non-JSON whitespace", body: "{\"code\":1}\f"},
		{name: "array", body: `[{"errorCode":40106}]`},
		{name: "string", body: `"errorCode"`},
		{name: "null", body: `null`},
		{name: "number", body: `40106`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseGatewayError([]byte(tt.body))
			if ok != tt.ok || got != tt.want {
				t.Fatalf("ParseGatewayError(%s)\n got  %+v, %v\n want %+v, %v", tt.body, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseGatewayErrorCapsMessage(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("æ", 1000) // 2 bytes per rune: a naive cut would split one
	body := `{"description":"` + long + `","error":"` + long + `","code":"` + long + `"}`
	g, ok := ParseGatewayError([]byte(body))
	if !ok {
		t.Fatal("ok = false")
	}
	for name, s := range map[string]string{"Message": g.Message, "OAuthError": g.OAuthError, "CodeText": g.CodeText} {
		if len(s) > MaxText || !utf8.ValidString(s) || !strings.HasSuffix(s, "…") {
			t.Errorf("%s: len %d, valid %v, %q", name, len(s), utf8.ValidString(s), s[max(len(s)-10, 0):])
		}
	}
}

func TestParseGatewayErrorSanitizes(t *testing.T) {
	t.Parallel()
	g, _ := ParseGatewayError([]byte(`{"message":"a\u0000b\u001b[31mc\r\nd\t\u202ee"}`))
	if want := "a\uFFFDb\uFFFD[31mc\nd\t\uFFFDe"; g.Message != want {
		t.Fatalf("Message = %q, want %q", g.Message, want)
	}
}
