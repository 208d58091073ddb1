package wire

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestTokenFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		wantRaw  string
		wantBody string // expected stripped JSON (compared semantically)
		ok       bool
	}{
		{
			name:     "number",
			body:     `{"access_token":"4P..uY","expires_in":3599,"token_type":"Bearer"}`,
			wantRaw:  `3599`,
			wantBody: `{"access_token":"4P..uY","token_type":"Bearer"}`,
			ok:       true,
		},
		{
			name:     "string keeps others exactly",
			body:     `{"expires_in":"3599","big":12345678901234567890,"f":1.50,"html":"a<b>&c","nested":{"x":[1,"2",null]},"u":"\u00e6"}`,
			wantRaw:  `"3599"`,
			wantBody: `{"big":12345678901234567890,"f":1.50,"html":"a<b>&c","nested":{"x":[1,"2",null]},"u":"\u00e6"}`,
			ok:       true,
		},
		{
			name:     "case-insensitive duplicates all removed, exact preferred",
			body:     `{"Expires_In":"x","expires_in":7,"EXPIRES_IN":8,"a":1}`,
			wantRaw:  `7`,
			wantBody: `{"a":1}`,
			ok:       true,
		},
		{
			name:     "only folded match",
			body:     `{"Expires_In":"60","a":1}`,
			wantRaw:  `"60"`,
			wantBody: `{"a":1}`,
			ok:       true,
		},
		{name: "missing returns body as is", body: ` {"a" : 1} `, wantBody: ` {"a" : 1} `, ok: true},
		{name: "null value", body: `{"expires_in":null}`, wantRaw: `null`, wantBody: `{}`, ok: true},
		{name: "array", body: `[{"expires_in":1}]`, wantBody: `[{"expires_in":1}]`},
		{name: "html", body: `<html>nope</html>`, wantBody: `<html>nope</html>`},
		{name: "empty", body: ``, wantBody: ``},
		{name: "null", body: `null`, wantBody: `null`},
		{name: "truncated", body: `{"expires_in":3599`, wantBody: `{"expires_in":3599`},
		{name: "non-JSON whitespace", body: "{}\v", wantBody: "{}\v"},
		{name: "trailing junk", body: `{"expires_in":1} x`, wantBody: `{"expires_in":1} x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw, stripped, ok := TokenFields([]byte(tt.body))
			if ok != tt.ok || string(raw) != tt.wantRaw {
				t.Fatalf("TokenFields = %q, _, %v; want %q, %v", raw, ok, tt.wantRaw, tt.ok)
			}
			if !tt.ok || tt.wantRaw == "" {
				if string(stripped) != tt.wantBody {
					t.Fatalf("stripped = %q, want body unchanged %q", stripped, tt.wantBody)
				}
				return
			}
			assertSameMembers(t, stripped, []byte(tt.wantBody))
		})
	}
}

// assertSameMembers checks that got and want are JSON objects with the
// same keys and byte-identical member values.
func assertSameMembers(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w map[string]json.RawMessage
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("stripped %q is not a JSON object: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("bad test: %v", err)
	}
	if !reflect.DeepEqual(rawStrings(g), rawStrings(w)) {
		t.Fatalf("stripped = %s, want members of %s", got, want)
	}
}

// rawStrings converts raw members to strings so DeepEqual compares bytes.
func rawStrings(m map[string]json.RawMessage) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}
