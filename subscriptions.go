package telenor

import (
	"context"
	"iter"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/telenor-go/telenor/internal/gateway"
)

// AccountsOptions filters and pages SystemSession.Accounts.
type AccountsOptions struct {
	// PageSize is the number of accounts per request: 1 to MaxPageSize;
	// 0 means DefaultPageSize.
	PageSize int
}

// SortOrder is the order of a list by its key.
type SortOrder int

const (
	// SortDefault sends no order: the gateway's default applies.
	SortDefault SortOrder = iota
	// SortAscending asks for ascending=true.
	SortAscending
	// SortDescending asks for ascending=false.
	SortDescending
)

// SubscriptionsOptions filters and pages SystemSession.MobileSubscriptions.
// ProductID and Since cannot be used together.
type SubscriptionsOptions struct {
	// ProductID keeps subscriptions that have this add-on product
	// (digits, e.g. "50795").
	ProductID string
	// Since keeps subscriptions changed within this long before now. It
	// is sent in whole seconds, rounded up.
	Since time.Duration
	// Order sorts the list; SortDefault leaves it to the gateway.
	Order SortOrder
	// PageSize is the number of subscriptions per request: 1 to
	// MaxPageSize; 0 means DefaultPageSize.
	PageSize int
}

// Organizations returns the organizations the system user may see: GET
// /organizations/v1/organizations. Retries, 401 handling, errors and size
// limits are HTTPClient's.
func (s *SystemSession) Organizations(ctx context.Context) ([]Organization, error) {
	return getList[Organization](ctx, s.core(), gateway.OrganizationsPath)
}

// Agreements returns the corporate agreements the system user may see:
// GET /corporate-agreements/v2/agreements.
func (s *SystemSession) Agreements(ctx context.Context) ([]Agreement, error) {
	return getList[Agreement](ctx, s.core(), gateway.AgreementsPath)
}

// Accounts iterates the corporate accounts the system user may see: GET
// /corporate-accounts/v2/accounts, one page per request, fetched only when
// the loop needs it. Each range starts again at the first page. An error
// (invalid options, a failed page) is yielded once and ends the loop:
//
//	for acc, err := range sys.Accounts(ctx, telenor.AccountsOptions{}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(acc.ID, acc.Owner.Name)
//	}
//
// The API pages by offset, so an account added or removed meanwhile can
// make the loop skip or repeat one; when the envelope's total changes the
// iterator yields ErrListChanged instead (see docs/company-data.md). Key
// what you collect by ID if that matters.
func (s *SystemSession) Accounts(ctx context.Context, opts AccountsOptions) iter.Seq2[Account, error] {
	size, err := checkPageSize("AccountsOptions.PageSize", opts.PageSize)
	if err != nil {
		return failed[Account](err)
	}
	return paged[Account](ctx, s.core(), gateway.AccountsPath, nil, size)
}

// MobileSubscriptions iterates the company's mobile subscriptions that
// match opts: GET /corporate-mobile-subscriptions/v2/mobile-subscriptions,
// paged lazily like Accounts, with the same ErrListChanged (key by MSISDN;
// a larger PageSize means a shorter window for changes). Invalid options
// are yielded as an error matching ErrInvalidConfig before any request.
func (s *SystemSession) MobileSubscriptions(ctx context.Context, opts SubscriptionsOptions) iter.Seq2[MobileSubscription, error] {
	q, size, err := opts.query()
	if err != nil {
		return failed[MobileSubscription](err)
	}
	return paged[MobileSubscription](ctx, s.core(), gateway.MobileSubscriptionsPath, q, size)
}

// query validates o and returns its query parameters (without paging)
// and page size.
func (o SubscriptionsOptions) query() (url.Values, int, error) {
	size, err := checkPageSize("SubscriptionsOptions.PageSize", o.PageSize)
	if err != nil {
		return nil, 0, err
	}
	q := url.Values{}
	switch {
	case o.ProductID != "" && o.Since != 0:
		return nil, 0, configError("SubscriptionsOptions", "sets both ProductID and Since; the API takes one of them")
	case o.ProductID != "" && strings.Trim(o.ProductID, "0123456789") != "":
		return nil, 0, configError("SubscriptionsOptions.ProductID", "is %q; want digits", o.ProductID)
	case o.Since < 0:
		return nil, 0, configError("SubscriptionsOptions.Since", "is negative (%s)", o.Since)
	case o.ProductID != "":
		q.Set("productId", o.ProductID)
	case o.Since > 0:
		q.Set("since", strconv.FormatInt(int64(math.Ceil(o.Since.Seconds())), 10))
	}
	switch o.Order {
	case SortDefault:
	case SortAscending, SortDescending:
		q.Set("ascending", strconv.FormatBool(o.Order == SortAscending))
	default:
		return nil, 0, configError("SubscriptionsOptions.Order", "is %d; want a SortOrder constant", int(o.Order))
	}
	return q, size, nil
}
