package wire

import (
	"encoding/json"
	"testing"
)

func TestParseExpiresIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		nilR bool
		want int64
		kind ExpiresInKind
	}{
		{nilR: true, want: 0, kind: ExpiresMissing},
		{raw: "", want: 0, kind: ExpiresMissing},
		{raw: "  ", want: 0, kind: ExpiresMissing},
		{raw: "null", want: 0, kind: ExpiresMissing},
		{raw: "3599", want: 3599, kind: ExpiresNumber},
		{raw: " 3599\n", want: 3599, kind: ExpiresNumber},
		{raw: `"3599"`, want: 3599, kind: ExpiresString},
		{raw: `" 3599 "`, want: 3599, kind: ExpiresString},
		{raw: "0", want: 0, kind: ExpiresNumber},
		{raw: "-5", want: -5, kind: ExpiresNumber},
		{raw: `"-5"`, want: -5, kind: ExpiresString},
		{raw: "3599.0", want: 3599, kind: ExpiresNumber},
		{raw: `"3599.0"`, want: 3599, kind: ExpiresString},
		{raw: "3599.5", want: 3599, kind: ExpiresNumber},
		{raw: "-0.5", want: 0, kind: ExpiresNumber},
		{raw: "1e300", want: MaxExpiresIn, kind: ExpiresNumber},
		{raw: "-1e300", want: -MaxExpiresIn, kind: ExpiresNumber},
		{raw: "1e999", want: MaxExpiresIn, kind: ExpiresNumber},
		{raw: "1e-999", want: 0, kind: ExpiresNumber},
		{raw: "99999999999999999999999", want: MaxExpiresIn, kind: ExpiresNumber},
		{raw: "1099511627776", want: MaxExpiresIn, kind: ExpiresNumber},
		{raw: "1099511627777", want: MaxExpiresIn, kind: ExpiresNumber},
		{raw: "1099511627775", want: MaxExpiresIn - 1, kind: ExpiresNumber},
		{raw: `"1e3"`, want: 1000, kind: ExpiresString},
		{raw: `"abc"`, want: 0, kind: ExpiresInvalid},
		{raw: `""`, want: 0, kind: ExpiresInvalid},
		{raw: `"null"`, want: 0, kind: ExpiresInvalid},
		{raw: `"0x10"`, want: 0, kind: ExpiresInvalid},
		{raw: `"Inf"`, want: 0, kind: ExpiresInvalid},
		{raw: `"NaN"`, want: 0, kind: ExpiresInvalid},
		{raw: `"1_000"`, want: 0, kind: ExpiresInvalid},
		{raw: `"+5"`, want: 0, kind: ExpiresInvalid},
		{raw: `"3599s"`, want: 0, kind: ExpiresInvalid},
		{raw: "true", want: 0, kind: ExpiresInvalid},
		{raw: "{}", want: 0, kind: ExpiresInvalid},
		{raw: "[3599]", want: 0, kind: ExpiresInvalid},
		{raw: `"3599`, want: 0, kind: ExpiresInvalid},
		{raw: "3599 x", want: 0, kind: ExpiresInvalid},
		{raw: "01", want: 0, kind: ExpiresInvalid},
		{raw: "-", want: 0, kind: ExpiresInvalid},
		{raw: "3599\v", want: 0, kind: ExpiresInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			var raw json.RawMessage
			if !tt.nilR {
				raw = json.RawMessage(tt.raw)
			}
			got, kind := ParseExpiresIn(raw)
			if got != tt.want || kind != tt.kind {
				t.Fatalf("ParseExpiresIn(%q) = %d, %v; want %d, %v", tt.raw, got, kind, tt.want, tt.kind)
			}
		})
	}
}

func TestExpiresInKindString(t *testing.T) {
	t.Parallel()
	for k, want := range map[ExpiresInKind]string{
		ExpiresMissing: "missing", ExpiresNumber: "number", ExpiresString: "string",
		ExpiresInvalid: "invalid", 42: "ExpiresInKind(42)",
	} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(k), got, want)
		}
	}
}
