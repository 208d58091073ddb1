package telenor_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// An API answer that quotes the Bearer token it was sent (in its message,
// its code, its raw body or a request id header) must not carry the token
// into the *APIError, its text or what a logger prints of it: the SDK
// knows the token it sent and blanks it.
func TestEchoedBearerTokenIsRedacted(t *testing.T) {
	token := "OD" + strings.Repeat("k7/Q+x", 8) + "LEAK=="
	for name, answer := range map[string]func(w http.ResponseWriter, echo string){
		"body cut mid-token at 4 KiB": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(500)
			fmt.Fprintf(w, "%s%s tail", strings.Repeat("p", 4<<10-20), echo)
		},
		"body cut mid-token in an escaped echo": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(500)
			fmt.Fprintf(w, "%s%s tail", strings.Repeat("p", 4<<10-20), strings.ReplaceAll(echo, "/", `\/`))
		},
		"message cut mid-token": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(500)
			fmt.Fprintf(w, `{"code":50001,"message":"%s%s"}`, strings.Repeat("m", 480), echo)
		},
		"JSON with escaped slashes (PHP)": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(500)
			fmt.Fprintf(w, `{"code":50001,"message":"bad %s","echo":"%s"}`, strings.ReplaceAll(echo, "/", `\/`), strings.ReplaceAll(echo, "/", `\/`))
		},
		"JSON with escaped plus (.NET)": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(500)
			e := strings.NewReplacer("+", `\u002B`, "=", `\u003D`).Replace(echo)
			fmt.Fprintf(w, `{"code":50001,"message":"bad %s"}`, e)
		},
		"URL-encoded": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(400)
			fmt.Fprintf(w, "request was ?access_token=%s", url.QueryEscape(echo))
		},
		"request id with the token's end": func(w http.ResponseWriter, echo string) {
			w.Header().Set("X-Request-Id", strings.Repeat("r", 100)+echo[30:])
			w.WriteHeader(503)
		},
		"500 message": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(500)
			fmt.Fprintf(w, `{"code":50001,"message":"backend rejected %s"}`, echo)
		},
		"401 code text": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"code":"bad.%s","description":"token %s"}`, echo, echo)
		},
		"2xx error object": func(w http.ResponseWriter, echo string) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"fault":{"faultstring":"Invalid access token %s"}}`, echo)
		},
		"request id header": func(w http.ResponseWriter, echo string) {
			w.Header().Set("X-Request-Id", "req-"+echo)
			w.WriteHeader(503)
			fmt.Fprint(w, `{"code":50301,"message":"down"}`)
		},
		"plain text body": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(502)
			fmt.Fprintf(w, "upstream said: Authorization: Bearer %s", echo)
		},
	} {
		t.Run(name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				answer(w, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
			}))
			defer srv.Close()
			cli, err := telenor.NewClient(telenor.Config{
				ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
				BaseURL: srv.URL, HTTPClient: srv.Client(),
				Retry: telenor.RetryPolicy{MaxAttempts: 1},
			})
			require.NoError(t, err)
			s := cli.RestoreUserSession(&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)})
			_, err = s.UserInfo(t.Context())
			require.Error(t, err)
			require.Positive(t, requests.Load(), "the server saw the token")
			var ae *telenor.APIError
			require.True(t, errors.As(err, &ae), "%v", err)
			out := fmt.Sprintf("%v\n%+v\n%#v\n%s\n%s\n%s\n%s", err, err, ae, ae.Message, ae.CodeText, ae.RequestID, ae.Body)
			for i := 0; i+12 <= len(token); i++ { // no 12 characters of it, in any form
				w := token[i : i+12]
				for _, part := range []string{w, url.QueryEscape(w), strings.ReplaceAll(w, "/", `\/`),
					strings.NewReplacer("+", `\u002B`, "=", `\u003D`).Replace(w)} {
					require.NotContains(t, out, part)
				}
			}
			assert.Contains(t, out, "[REDACTED]")
		})
	}
}

// forgetfulTransport hands back answers whose Request is not the one sent
// (a transport may set any): redaction must not depend on it.
type forgetfulTransport struct{ base http.RoundTripper }

func (f forgetfulTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := f.base.RoundTrip(req)
	if resp != nil {
		resp.Request = httptest.NewRequest(req.Method, req.URL.String(), nil)
	}
	return resp, err
}

func TestEchoedBearerTokenIsRedactedWhateverTheTransport(t *testing.T) {
	token := "OD" + strings.Repeat("k7/Q+x", 8) + "LEAK=="
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		fmt.Fprintf(w, `{"code":50001,"message":"bad %s"}`, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	defer srv.Close()
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: srv.URL, HTTPClient: &http.Client{Transport: forgetfulTransport{srv.Client().Transport}},
		Retry: telenor.RetryPolicy{MaxAttempts: 1},
	})
	require.NoError(t, err)
	_, err = cli.RestoreUserSession(&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}).UserInfo(t.Context())
	var ae *telenor.APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, fmt.Sprintf("%v %#v %s", err, ae, ae.Body), token)
	assert.Contains(t, ae.Message, "[REDACTED]")
}

// An echo past the kept 4 KiB of the body blanks the decoded message, not
// the body's head, which never held the token.
func TestEchoPastTheBodyCutKeepsTheHead(t *testing.T) {
	token := "OD" + strings.Repeat("k7/Q+x", 8) + "LEAK=="
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		fmt.Fprintf(w, `{"code":50001,"detail":"%s","message":"bad %s"}`, strings.Repeat("d", 5<<10),
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	defer srv.Close()
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: srv.URL, HTTPClient: srv.Client(), Retry: telenor.RetryPolicy{MaxAttempts: 1},
	})
	require.NoError(t, err)
	_, err = cli.RestoreUserSession(&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}).UserInfo(t.Context())
	var ae *telenor.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "bad [REDACTED]", ae.Message)
	assert.True(t, strings.HasPrefix(string(ae.Body), `{"code":50001,"detail":"ddd`), "%.40s", ae.Body)
}
