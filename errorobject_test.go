package telenor

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
)

// errorObjects are error bodies a gateway or proxy may send with a 200,
// and the gateway code each carries.
var errorObjects = []struct {
	name, body string
	code       int
}{
	{"telenor", `{"httpStatus":403,"httpMessage":"Forbidden","description":"Invalid scope","errorCode":40301}`, gateway.CodeInvalidScope},
	{"apigee", `{"fault":{"faultstring":"Invalid access token","detail":{"errorcode":"40105"}}}`, gateway.CodeTokenInvalid},
	{"oauth", `{"error":"invalid_token","error_description":"The access token is invalid"}`, 0},
	{"backend", `{"code":"4042000","message":"Resource not found on the back-end server"}`, gateway.CodeBackendNotFound},
	{"nested", `{"error":{"code":50001,"message":"Internal error"}}`, 50001},
}

// companyCall runs one company-data call and returns its error.
func companyCall(t *testing.T, name string) func(context.Context, *wireServer) error {
	return func(ctx context.Context, ws *wireServer) error {
		s := ws.system(t)
		switch name {
		case "Organizations":
			_, err := s.Organizations(ctx)
			return err
		default:
			for _, err := range s.MobileSubscriptions(ctx, SubscriptionsOptions{}) {
				return err
			}
			return nil
		}
	}
}

func TestErrorObjectWith200IsAnAPIError(t *testing.T) {
	calls := map[string]func(context.Context, *wireServer) error{
		"UserInfo": func(ctx context.Context, ws *wireServer) error {
			u, err := ws.user(t).UserInfo(ctx)
			assert.Nil(t, u)
			return err
		},
		"DeviceInfo": func(ctx context.Context, ws *wireServer) error {
			d, err := ws.user(t).DeviceInfo(ctx)
			assert.Nil(t, d)
			return err
		},
		"Organizations":       companyCall(t, "Organizations"),
		"MobileSubscriptions": companyCall(t, "MobileSubscriptions"),
	}
	for name, call := range calls {
		for _, eo := range errorObjects {
			t.Run(name+"/"+eo.name, func(t *testing.T) {
				ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(eo.body))
				})
				err := call(t.Context(), ws)
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, http.StatusOK, ae.StatusCode)
				assert.Equal(t, eo.code, ae.Code)
				assert.NotEmpty(t, ae.Message)
				assert.Equal(t, eo.body, string(ae.Body))
				assert.NotErrorIs(t, err, ErrMalformedResponse)
				assert.Equal(t, int64(1), ws.requests.Load())
			})
		}
	}
}

// A resource that happens to carry members named like an error's is
// still the resource.
func TestResourceWithErrorLikeMembersIsDecoded(t *testing.T) {
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case gateway.UserInfoPath:
			_, _ = w.Write([]byte(`{"mobileNumber":"4790012345","code":"A1","message":"hi","error":"none"}`))
		case gateway.DeviceInfoPath:
			_, _ = w.Write([]byte(`{"model":"X","errorCode":0}`))
		default:
			_, _ = w.Write([]byte(`{"content":[{"id":"1"}],"message":"ok","code":7,"last":true}`))
		}
	})
	s := ws.user(t)
	u, err := s.UserInfo(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "4790012345", u.MobileNumber)
	assert.Contains(t, u.Unknown(), "message")
	d, err := s.DeviceInfo(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "X", d.Model)
	orgs, err := ws.system(t).Organizations(t.Context())
	require.NoError(t, err)
	assert.Len(t, orgs, 1)
}

// Only a body without any member of the resource is taken for an error
// object: an empty or mistyped known member is enough to be the resource.
func TestResourceWithEmptyKnownMemberIsDecoded(t *testing.T) {
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case gateway.UserInfoPath:
			_, _ = w.Write([]byte(`{"mobileNumber":"","emailAddress":{"x":1},"errorCode":40301,"message":"hi"}`))
		default:
			_, _ = w.Write([]byte(`{"model":{},"tac":"35407115","errorCode":40301,"message":"hi"}`))
		}
	})
	s := ws.user(t)
	u, err := s.UserInfo(t.Context())
	require.NoError(t, err)
	assert.Contains(t, u.Unknown(), "errorCode")
	assert.Contains(t, u.Unknown(), "emailAddress", "mistyped: kept as sent")
	d, err := s.DeviceInfo(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "35407115", d.TAC)
	assert.Contains(t, d.Unknown(), "model")
}
