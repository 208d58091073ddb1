package telenor

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// reachableText calls visit with every string and byte slice reachable
// from v through pointers, interfaces, structs (unexported fields
// included), slices, arrays and maps: what a deep printer such as
// testify's diff or go-spew can show. Funcs and channels are opaque.
func reachableText(v any, visit func(path, text string)) {
	seen := map[[2]uintptr]bool{}
	var walk func(path string, v reflect.Value, depth int)
	walk = func(path string, v reflect.Value, depth int) {
		if !v.IsValid() || depth > 64 {
			return
		}
		switch v.Kind() {
		case reflect.String:
			visit(path, v.String())
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return
			}
			if v.Kind() == reflect.Pointer {
				key := [2]uintptr{v.Pointer(), reflect.ValueOf(v.Type()).Pointer()}
				if seen[key] {
					return
				}
				seen[key] = true
			}
			walk(path, v.Elem(), depth+1)
		case reflect.Struct:
			for i := range v.NumField() {
				walk(path+"."+v.Type().Field(i).Name, v.Field(i), depth+1)
			}
		case reflect.Slice, reflect.Array:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				b := make([]byte, v.Len())
				for i := range b {
					b[i] = byte(v.Index(i).Uint())
				}
				visit(path, string(b))
				return
			}
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i), depth+1)
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(path+"{key}", it.Key(), depth+1)
				walk(path+"{value}", it.Value(), depth+1)
			}
		}
	}
	walk("err", reflect.ValueOf(v), 0)
}

// assertNothingReachable fails for every secret reachable from v, and for
// any HTTP Basic credentials.
func assertNothingReachable(t *testing.T, v any, secrets ...string) {
	t.Helper()
	secrets = append(secrets, "Basic ")
	reachableText(v, func(path, text string) {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%q reachable at %s", s, path)
			}
		}
	})
	deep := fmt.Sprintf("%v|%+v|%#v", v, v, v)
	for _, s := range secrets {
		assert.NotContains(t, deep, s)
	}
}

// tokenErrorCases are token endpoint answers whose errors are walked.
var tokenErrorCases = map[string]telenortest.Fault{
	"400 invalid_grant":   {Status: 400, Body: `{"error":"invalid_grant"}`},
	"401 40108":           {Status: 401, Code: gateway.CodeInvalidClient},
	"401 empty":           {Status: 401, Shape: telenortest.ShapeEmpty},
	"302":                 {Status: 302, Redirect: "https://other.example/x?y=z"},
	"307":                 {Status: 307, Redirect: "https://other.example/x?y=z"},
	"500":                 {Status: 500, Code: 50001},
	"429 quota":           {Status: 429, Code: CodeQuotaExceeded},
	"502 HTML":            {Status: 502, Shape: telenortest.ShapeHTML},
	"200 gateway error":   {Status: 200, Code: gateway.CodeInvalidClient},
	"200 malformed":       {Status: 200, Shape: telenortest.ShapeMalformedJSON},
	"reset":               {Reset: true},
	"400 OAuth":           {Status: 400, Shape: telenortest.ShapeOAuth, Message: "bad"},
	"503 Apigee":          {Status: 503, Shape: telenortest.ShapeApigee},
	"200 no access_token": {Status: 200, Body: `{"token_type":"bearer"}`},
}

// No secret is reachable from a token error by any printer: not the client
// secret, not the password, not the Basic header, however deep it looks
// (x/oauth2's RetrieveError kept the request with both).
func TestTokenErrorsReachNoSecret(t *testing.T) {
	for name, f := range tokenErrorCases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, _, cli, _ := leakyClient(t)
				srv.Fail(telenortest.PasswordTokenPath, 1<<20, f)
				_, err := cli.PasswordGrant(telenortest.DefaultUsername, leakPassword).Token(t.Context())
				require.Error(t, err)
				assertNothingReachable(t, err, leakSecret, leakPassword)
			})
		})
	}
}

func TestCodeExchangeErrorsReachNoSecret(t *testing.T) {
	const code = "auth-code-LEAK-3"
	for name, f := range tokenErrorCases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, _, cli, _ := leakyClient(t)
				srv.Fail(telenortest.TokenPath, 1, f)
				_, err := cli.Exchange(t.Context(), code)
				require.Error(t, err)
				assertNothingReachable(t, err, leakSecret, code)
			})
		})
	}
}

// The token endpoint's error and error_description reach Error() one line
// long, printable and capped: no log forging, no 20 KB messages.
func TestAuthErrorSanitisesServerText(t *testing.T) {
	hostile := "line1\r\nFAKE LOG LINE\x1b[31m red\x00\u202e" + strings.Repeat("x", 20<<10)
	body, err := json.Marshal(map[string]string{"error": "invalid_request\r\nINJECTED", "error_description": hostile})
	require.NoError(t, err)
	for name, f := range map[string]telenortest.Fault{
		"OAuth error":   {Status: 400, Body: string(body)},
		"gateway error": {Status: 500, Body: `{"errorCode":50001,"description":` + string(mustMarshal(t, hostile)) + `}`},
	} {
		t.Run(name, func(t *testing.T) {
			ae, _, err := tokenErrorOnce(t, f)
			msg := err.Error()
			assert.NotContains(t, msg, "\n")
			assert.NotContains(t, msg, "\r")
			assert.Less(t, len(msg), 1024, "capped")
			assert.Contains(t, msg, "…", "a cut is marked")
			for _, r := range msg {
				assert.True(t, unicode.IsPrint(r) || r == ' ', "unprintable %U in %q", r, msg)
			}
			for _, field := range []string{ae.Code, ae.Description} {
				assert.NotContains(t, field, "\n")
				assert.Less(t, len(field), 1024)
			}
		})
	}
	t.Run("built by hand", func(t *testing.T) {
		msg := (&AuthError{StatusCode: 400, Code: "x\ny", Description: hostile}).Error()
		assert.NotContains(t, msg, "\n")
		assert.Less(t, len(msg), 1024)
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestConfigJSONRedactsSecret(t *testing.T) {
	cfg := Config{ClientID: "id", ClientSecret: leakSecret, BaseURL: "https://api.telenor.no"}
	for _, v := range []any{cfg, &cfg, map[string]any{"cfg": cfg}} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(b), leakSecret)
		assert.Contains(t, string(b), `"ClientSecret":"[REDACTED]"`)
		assert.Contains(t, string(b), `"ClientID":"id"`)
	}
	cfg.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	cfg.Logger = slog.New(slog.DiscardHandler)
	b, err := json.Marshal(cfg)
	require.NoError(t, err, "a Config with an HTTPClient encodes")
	assert.NotContains(t, string(b), leakSecret)
	assert.NotContains(t, string(b), "HTTPClient")

	b, err = json.Marshal(Config{ClientID: "id"})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"ClientSecret":""`, "an empty secret stays visibly empty")
}

// APIError's text from the server is one printable line too.
func TestAPIErrorSanitisesServerText(t *testing.T) {
	msg := (&APIError{Method: "GET", Path: "/x", StatusCode: 500, CodeText: "a\nb",
		Message: "line1\r\nFAKE\x1b[31m" + strings.Repeat("y", 20<<10), RequestID: "r\n1"}).Error()
	assert.NotContains(t, msg, "\n")
	assert.NotContains(t, msg, "\r")
	assert.NotContains(t, msg, "\x1b")
	assert.Less(t, len(msg), 1024)
}
