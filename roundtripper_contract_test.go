package telenor

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// TestBrokenTransportAnswers: Config.HTTPClient's transport may break the
// RoundTripper contract the way test doubles do; http.Client tolerates it
// and so must the SDK, with an error rather than a crash (both crashed in
// roundtrip.Judge before roundtrip.Send).
func TestBrokenTransportAnswers(t *testing.T) {
	for _, tc := range []struct {
		name      string
		answer    func(*http.Request) *http.Response
		wantCalls int32
		want      func(*testing.T, error)
	}{
		{"503 with a nil Body", func(r *http.Request) *http.Response {
			return &http.Response{StatusCode: 503, Header: http.Header{}, Request: r}
		}, 3, func(t *testing.T, err error) {
			var ae *APIError
			require.True(t, errors.As(err, &ae), "%v", err)
			assert.Equal(t, 503, ae.StatusCode)
		}},
		{"no response and no error", func(*http.Request) *http.Response { return nil }, 1, func(t *testing.T, err error) {
			assert.ErrorContains(t, err, "telenor.roundTripFunc")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var calls atomic.Int32
				_, s := memUser(t, func(c *Config) {
					base := c.HTTPClient.Transport
					c.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
						if r.URL.Path != telenortest.UserInfoPath {
							return base.RoundTrip(r)
						}
						calls.Add(1)
						return tc.answer(r), nil
					})}
				})
				_, err := s.UserInfo(t.Context())
				require.Error(t, err)
				tc.want(t, err)
				assert.Equal(t, tc.wantCalls, calls.Load())
			})
		})
	}
}
