package telenor

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// queryRecorder records the query of every request it carries.
type queryRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen []url.Values
}

func (q *queryRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path != telenortest.PasswordTokenPath {
		q.mu.Lock()
		q.seen = append(q.seen, r.URL.Query())
		q.mu.Unlock()
	}
	return q.base.RoundTrip(r)
}

func (q *queryRecorder) queries() []url.Values {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]url.Values(nil), q.seen...)
}

// companySession is a system user's Session on a loopback fake with opts,
// and the recorder of the API queries it sends.
func companySession(t *testing.T, opts ...telenortest.Option) (*telenortest.Server, *SystemSession, *queryRecorder) {
	t.Helper()
	srv := telenortest.NewServer(opts...)
	rec := &queryRecorder{base: srv.Client().Transport}
	cli := newTestClient(t, srv, func(c *Config) { c.HTTPClient = &http.Client{Transport: rec} })
	return srv, systemSession(cli), rec
}

func TestMobileSubscriptionsPaging(t *testing.T) {
	const total = 2003 // not a multiple of any page size below
	for _, env := range []telenortest.Envelope{telenortest.EnvelopeArray, telenortest.EnvelopeObject} {
		for _, size := range []int{1, 7, 1000, 0} {
			t.Run(strconv.Itoa(int(env))+"/"+strconv.Itoa(size), func(t *testing.T) {
				srv, s, _ := companySession(t, telenortest.WithCompanyData(5, total), telenortest.WithPageEnvelope(env))
				n := 0
				for sub, err := range s.MobileSubscriptions(t.Context(), SubscriptionsOptions{PageSize: size}) {
					require.NoError(t, err)
					require.Equal(t, telenortest.SubscriptionMSISDN(n), sub.MSISDN, "item %d", n)
					n++
				}
				assert.Equal(t, total, n)
				eff := max(size, DefaultPageSize*boolInt(size == 0))
				want := total/eff + 1 // a bare array ends with a short or an empty page
				if env == telenortest.EnvelopeObject {
					want = (total + eff - 1) / eff // the envelope marks the last page
				}
				assert.Equal(t, want, srv.Requests(telenortest.MobileSubscriptionsPath))
			})
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestPagingExactMultipleStopsOnEmptyPage(t *testing.T) {
	srv, s, _ := companySession(t, telenortest.WithCompanyData(21, 0))
	n := 0
	for _, err := range s.Accounts(t.Context(), AccountsOptions{PageSize: 7}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 21, n)
	assert.Equal(t, 4, srv.Requests(telenortest.AccountsPath), "three full pages, then an empty one")
}

func TestPagingObjectEnvelopeStopsOnLastPage(t *testing.T) {
	srv, s, _ := companySession(t, telenortest.WithCompanyData(21, 0), telenortest.WithPageEnvelope(telenortest.EnvelopeObject))
	n := 0
	for _, err := range s.Accounts(t.Context(), AccountsOptions{PageSize: 7}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 21, n)
	assert.Equal(t, 3, srv.Requests(telenortest.AccountsPath), "the envelope says page 3 is the last")
}

func TestEarlyBreakFetchesNoMore(t *testing.T) {
	srv, s, _ := companySession(t)
	n := 0
	for _, err := range s.MobileSubscriptions(t.Context(), SubscriptionsOptions{PageSize: 10}) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.Equal(t, 2, srv.Requests(telenortest.MobileSubscriptionsPath))
	for range s.MobileSubscriptions(t.Context(), SubscriptionsOptions{PageSize: 10}) {
		break
	}
	assert.Equal(t, 3, srv.Requests(telenortest.MobileSubscriptionsPath), "a new range starts again, one page")
}

func TestAccountsDecoded(t *testing.T) {
	_, s, rec := companySession(t)
	var got []Account
	for a, err := range s.Accounts(t.Context(), AccountsOptions{}) {
		require.NoError(t, err)
		got = append(got, a)
	}
	require.Len(t, got, telenortest.DefaultAccounts)
	assert.Equal(t, "10000001", got[0].ID)
	assert.Equal(t, "Kostnadssted 100", got[0].AccountReference1)
	assert.Equal(t, "OPEN", got[0].Status)
	assert.NotEmpty(t, got[0].Owner.OrgNumber)
	assert.Nil(t, got[0].PersonalPayer)
	assert.JSONEq(t, `{"firstName":"Ola","lastName":"Nordmann 9"}`, string(got[9].PersonalPayer))
	assert.Contains(t, string(got[0].Invoice), `"format":"EHF"`)
	assert.Equal(t, "PASSIVE", got[7].Status)
	q := rec.queries()
	require.Len(t, q, 1)
	assert.Equal(t, url.Values{"page": {"0"}, "pageSize": {"100"}}, q[0])
}

func TestOrganizationsAndAgreements(t *testing.T) {
	_, s, _ := companySession(t)
	orgs, err := s.Organizations(t.Context())
	require.NoError(t, err)
	require.Len(t, orgs, 3)
	assert.Equal(t, exported(Organization{OrgNumber: "914742315", Name: "Fjordtest AS"}), exported(orgs[0]))
	ags, err := s.Agreements(t.Context())
	require.NoError(t, err)
	require.Len(t, ags, 4)
	assert.Equal(t, exported(Agreement{ID: "123456", Category: "Mobilt Bedriftsnett avtale",
		ValidFrom: "2017-06-30", ValidTo: "2027-06-30", Status: "ACTIVE",
		Owner: Organization{OrgNumber: "914742315", Name: "Fjordtest AS"}}), exported(ags[0]))
}
