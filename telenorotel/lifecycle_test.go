package telenorotel_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// Every span telenorotel starts ends, whatever the call does: a caller
// that stops iterating a list early, cancels while it waits for the token
// or while the SDK waits to retry, a replay whose new token cannot be
// had, a request through HTTPClient to a route the SDK does not know.
func TestEverySpanEnds(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(t *testing.T, h *harness, ctx context.Context)
	}{
		{"break out of MobileSubscriptions", func(t *testing.T, h *harness, ctx context.Context) {
			for _, err := range h.system().MobileSubscriptions(ctx, telenor.SubscriptionsOptions{PageSize: 5}) {
				require.NoError(t, err)
				break
			}
		}},
		{"break out of Accounts on page 2", func(t *testing.T, h *harness, ctx context.Context) {
			n := 0
			for _, err := range h.system().Accounts(ctx, telenor.AccountsOptions{PageSize: 1}) {
				require.NoError(t, err)
				if n++; n == 2 {
					break
				}
			}
		}},
		{"list changed between pages", func(t *testing.T, h *harness, ctx context.Context) {
			var err error
			for _, e := range h.system().Accounts(ctx, telenor.AccountsOptions{PageSize: 2}) {
				if err = e; err != nil {
					break
				}
				h.srv.Fail(telenortest.AccountsPath, 1, telenortest.Fault{Status: 200, Body: `{"content":[],"totalElements":9}`})
			}
			require.ErrorIs(t, err, telenor.ErrListChanged)
			spans := h.spans.Ended()
			last := spans[len(spans)-1]
			assert.Equal(t, "telenor.Accounts", last.Name())
			assert.Equal(t, "list_changed", last.Status().Description, "the page's span says why the caller failed")
		}},
		{"cancel while waiting for the token", func(t *testing.T, h *harness, ctx context.Context) {
			h.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Delay: 10 * time.Second})
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			_, err := h.system().Organizations(ctx)
			require.ErrorIs(t, err, context.DeadlineExceeded)
		}},
		{"cancel while waiting to retry", func(t *testing.T, h *harness, ctx context.Context) {
			h.srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 503, RetryAfter: "10"})
			ctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(time.Second, cancel)
			_, err := h.user().UserInfo(ctx)
			require.ErrorIs(t, err, context.Canceled)
		}},
		{"replay whose new token fails", func(t *testing.T, h *harness, ctx context.Context) {
			sys := h.system()
			_, err := sys.Token(ctx)
			require.NoError(t, err)
			h.srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired})
			h.srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Status: 400, Body: `{"error":"invalid_grant"}`})
			_, err = sys.Organizations(ctx)
			require.ErrorIs(t, err, telenor.ErrInvalidGrant)
		}},
		{"fifty concurrent callers on a cold session", func(t *testing.T, h *harness, ctx context.Context) {
			h.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Delay: time.Second})
			h.srv.Fail(telenortest.OrganizationsPath, 5, telenortest.Fault{Status: 503})
			sys, user := h.system(), h.user()
			var wg sync.WaitGroup
			for i := range 50 {
				wg.Go(func() {
					var err error
					if i%2 == 0 {
						_, err = sys.Organizations(ctx)
					} else {
						_, err = user.UserInfo(ctx)
					}
					assert.NoError(t, err)
				})
			}
			wg.Wait()
			tokens := 0
			for _, s := range h.spans.Started() {
				if s.Name() == "telenor.token" {
					tokens++
				}
			}
			assert.Equal(t, 1, tokens, "one shared fetch")
		}},
		{"HTTPClient to an unknown route", func(t *testing.T, h *harness, ctx context.Context) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1/user-info/v1/users/4790000001", nil)
			require.NoError(t, err)
			resp, err := h.user().HTTPClient().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, nil, telenortest.WithCompanyData(3, 12), telenortest.WithPageEnvelope(telenortest.EnvelopeObject))
				root := h.caller(t.Context(), func(ctx context.Context) { tc.call(t, h, ctx) })
				time.Sleep(time.Minute) // a shared fetch may outlive its caller
				synctest.Wait()
				ended := map[trace.SpanID]bool{}
				for _, s := range h.spans.Ended() {
					ended[s.SpanContext().SpanID()] = true
					assert.Equal(t, root.TraceID(), s.SpanContext().TraceID(), "%s is in the caller's trace", s.Name())
				}
				started := h.spans.Started()
				require.Greater(t, len(started), 1)
				for _, s := range started {
					assert.True(t, ended[s.SpanContext().SpanID()], "span %s never ended", s.Name())
				}
			})
		})
	}
}
