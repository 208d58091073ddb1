package telenor_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	token := "at-" + strings.Repeat("Z", 40) + "-LEAK"
	for name, answer := range map[string]func(w http.ResponseWriter, echo string){
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
			assert.NotContains(t, out, token[:16])
			assert.Contains(t, out, "[REDACTED]")
		})
	}
}
