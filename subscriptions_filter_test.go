package telenor

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

func TestSubscriptionFiltersSent(t *testing.T) {
	const total = 500
	for _, tc := range []struct {
		name  string
		opts  SubscriptionsOptions
		query url.Values
		keep  func(i int) bool
		desc  bool
	}{
		{"product", SubscriptionsOptions{ProductID: telenortest.ProductDataPack},
			url.Values{"productId": {"50795"}},
			func(i int) bool { return telenortest.SubscriptionHasProduct(i, "50795") }, false},
		{"since rounded up to seconds", SubscriptionsOptions{Since: 5*time.Hour + time.Millisecond},
			url.Values{"since": {"18001"}},
			func(i int) bool { return telenortest.SubscriptionAge(i) <= 5*time.Hour }, false},
		{"descending", SubscriptionsOptions{Order: SortDescending},
			url.Values{"ascending": {"false"}}, func(int) bool { return true }, true},
		{"ascending", SubscriptionsOptions{Order: SortAscending, ProductID: telenortest.ProductRoaming},
			url.Values{"ascending": {"true"}, "productId": {"50800"}},
			func(i int) bool { return telenortest.SubscriptionHasProduct(i, "50800") }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, s, rec := companySession(t, telenortest.WithCompanyData(3, total))
			var got []string
			for sub, err := range s.MobileSubscriptions(t.Context(), tc.opts) {
				require.NoError(t, err)
				got = append(got, sub.MSISDN)
			}
			assert.Equal(t, expectedMSISDNs(total, tc.keep, tc.desc), got)
			q := rec.queries()[0]
			q.Del("page")
			q.Del("pageSize")
			assert.Equal(t, tc.query, q)
		})
	}
}

func expectedMSISDNs(n int, keep func(int) bool, desc bool) []string {
	var out []string
	for i := range n {
		if keep(i) {
			out = append(out, telenortest.SubscriptionMSISDN(i))
		}
	}
	if desc {
		slices.Reverse(out)
	}
	return out
}

func TestInvalidOptionsRejectedBeforeAnyRequest(t *testing.T) {
	for name, opts := range map[string]SubscriptionsOptions{
		"productId and since": {ProductID: "50795", Since: time.Hour},
		"pageSize negative":   {PageSize: -1},
		"pageSize too big":    {PageSize: 1001},
		"productId not digit": {ProductID: "abc"},
		"since negative":      {Since: -time.Second},
		"bad order":           {Order: SortOrder(9)},
	} {
		t.Run(name, func(t *testing.T) {
			srv, s, _ := companySession(t)
			n := 0
			for sub, err := range s.MobileSubscriptions(t.Context(), opts) {
				n++
				assert.Zero(t, sub)
				require.ErrorIs(t, err, ErrInvalidConfig)
			}
			assert.Equal(t, 1, n, "the error is yielded once")
			assert.Zero(t, srv.Requests(telenortest.MobileSubscriptionsPath))
			assert.Zero(t, srv.TokenRequests())
		})
	}
	srv, s, _ := companySession(t)
	for _, err := range s.Accounts(t.Context(), AccountsOptions{PageSize: 1001}) {
		require.ErrorIs(t, err, ErrInvalidConfig)
		assert.Contains(t, err.Error(), "AccountsOptions.PageSize")
	}
	assert.Zero(t, srv.Requests(telenortest.AccountsPath))
}

func TestUnknownFieldsKept(t *testing.T) {
	_, s, _ := companySession(t)
	for sub, err := range s.MobileSubscriptions(t.Context(), SubscriptionsOptions{}) {
		require.NoError(t, err)
		assert.JSONEq(t, `["50795","50800"]`, string(sub.Unknown()["productIds"]))
		assert.JSONEq(t, `"ACTIVE"`, string(sub.Unknown()["status"]))
		assert.JSONEq(t, `"10000001"`, string(sub.Unknown()["accountId"]))
		assert.Equal(t, "VOICE", sub.Type)
		assert.Equal(t, "Ansatt 1", sub.UserReference1)
		assert.Equal(t, "Prosjekt 0", sub.UserReference2)
		break
	}
}
