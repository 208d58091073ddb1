package telenor

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// iterateFailing ranges over 10-item pages of subscriptions and queues f
// (n times) for the request of page 3 once page 2 is consumed, which lazy
// paging makes exact. It returns the items seen and the errors yielded.
func iterateFailing(t *testing.T, srv *telenortest.Server, s *SystemSession, n int, f telenortest.Fault) (int, []error) {
	t.Helper()
	items, errs := 0, []error(nil)
	for _, err := range s.MobileSubscriptions(t.Context(), SubscriptionsOptions{PageSize: 10}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if items++; items == 20 {
			srv.Fail(telenortest.MobileSubscriptionsPath, n, f)
		}
	}
	return items, errs
}

func TestFaultMidIterationEndsIt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  telenortest.Fault
		n      int
		status int
		sent   int // requests to the path in all
	}{
		{"500 beyond retries", telenortest.Fault{Status: 500, Code: 50001}, 3, 500, 5},
		{"403", telenortest.Fault{Status: 403, Code: gateway.CodeInvalidScope}, 1, 403, 3},
		{"quota 429 not retried", telenortest.Fault{Status: 429, Code: CodeQuotaExceeded}, 1, 429, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t)
				items, errs := iterateFailing(t, srv, systemSession(cli), tc.n, tc.fault)
				assert.Equal(t, 20, items, "pages 1 and 2, nothing after the failure")
				require.Len(t, errs, 1, "the error is yielded once and ends the loop")
				var ae *APIError
				require.ErrorAs(t, errs[0], &ae)
				assert.Equal(t, tc.status, ae.StatusCode)
				assert.Contains(t, errs[0].Error(), "page 2 of "+gateway.MobileSubscriptionsPath)
				assert.Equal(t, tc.sent, srv.Requests(telenortest.MobileSubscriptionsPath))
			})
		})
	}
}

func TestTransient500MidIterationRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cli := newMemClient(t, telenortest.WithCompanyData(2, 35))
		items, errs := iterateFailing(t, srv, systemSession(cli), 2, telenortest.Fault{Status: 503})
		assert.Empty(t, errs)
		assert.Equal(t, 35, items)
		assert.Equal(t, 6, srv.Requests(telenortest.MobileSubscriptionsPath), "4 pages + 2 retries")
	})
}

func TestMalformedPageMidIteration(t *testing.T) {
	srv, s, _ := companySession(t)
	_, errs := iterateFailing(t, srv, s, 1, telenortest.Fault{Status: 200, Body: `[{"msisdn":"4790000021"},"x"]`})
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrMalformedResponse)
	assert.Contains(t, errs[0].Error(), "item 1")
}

func TestExpiredTokenMidIterationRefetchesAndGoesOn(t *testing.T) {
	srv, s, _ := companySession(t, telenortest.WithCompanyData(2, 45))
	items, errs := iterateFailing(t, srv, s, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired})
	assert.Empty(t, errs)
	assert.Equal(t, 45, items, "every item, once")
	assert.Equal(t, 6, srv.Requests(telenortest.MobileSubscriptionsPath), "5 pages + 1 replay")
	assert.Equal(t, 2, srv.TokenRequests(), "one new token")
}

func TestRevokedTokenMidIterationRefetchesAndGoesOn(t *testing.T) {
	srv, s, _ := companySession(t, telenortest.WithCompanyData(2, 25))
	n := 0
	for _, err := range s.MobileSubscriptions(t.Context(), SubscriptionsOptions{PageSize: 10}) {
		require.NoError(t, err)
		if n++; n == 10 {
			tok, err := s.Token(t.Context())
			require.NoError(t, err)
			srv.Revoke(tok.AccessToken)
		}
	}
	assert.Equal(t, 25, n)
	assert.Equal(t, 2, srv.TokenRequests())
}
