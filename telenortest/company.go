package telenortest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// systemUserToken authorizes a request to the Mobile Subscription Info
// API: a valid Bearer token issued to one of the server's system users.
// An end user's token gets 403 with code 40301.
func (s *Server) systemUserToken(w http.ResponseWriter, r *http.Request) bool {
	if !requireGET(w, r) {
		return false
	}
	_, info, ok := s.authorizeBearer(w, r)
	if !ok {
		return false
	}
	if _, system := s.opts.users[info.Subject]; !system {
		writeTelenorError(w, http.StatusForbidden, codeInvalidScope,
			"This API needs a token from the company's system user")
		return false
	}
	return true
}

// handleOrganizations serves OrganizationsPath: a bare array.
func (s *Server) handleOrganizations(w http.ResponseWriter, r *http.Request) {
	serveList(s, w, r, organizationCount, organizationAt)
}

// handleAgreements serves AgreementsPath: a bare array.
func (s *Server) handleAgreements(w http.ResponseWriter, r *http.Request) {
	serveList(s, w, r, agreementCount, agreementAt)
}

// serveList answers a system user's request for an unpaged list with the
// n items at(0) … at(n-1) as a bare JSON array.
func serveList[T any](s *Server, w http.ResponseWriter, r *http.Request, n int, at func(int) T) {
	if !s.systemUserToken(w, r) {
		return
	}
	list := make([]T, n)
	for i := range list {
		list[i] = at(i)
	}
	writeJSON(w, http.StatusOK, mustJSON(list))
}

// handleAccounts serves AccountsPath, paged.
func (s *Server) handleAccounts(w http.ResponseWriter, r *http.Request) {
	if !s.systemUserToken(w, r) {
		return
	}
	p, ok := parsePage(w, r)
	if !ok {
		return
	}
	idx, total := listing{n: s.opts.company.accounts}.pageOf(p)
	items := make([]accountJSON, len(idx))
	for k, i := range idx {
		items[k] = accountAt(i)
	}
	writePage(s, w, p, items, total)
}

// handleMobileSubscriptions serves MobileSubscriptionsPath, filtered,
// ordered and paged.
func (s *Server) handleMobileSubscriptions(w http.ResponseWriter, r *http.Request) {
	if !s.systemUserToken(w, r) {
		return
	}
	l, ok := s.subscriptionListing(w, r)
	if !ok {
		return
	}
	p, ok := parsePage(w, r)
	if !ok {
		return
	}
	idx, total := l.pageOf(p)
	items := make([]subscriptionJSON, len(idx))
	for k, i := range idx {
		items[k] = s.subscriptionAt(i)
	}
	writePage(s, w, p, items, total)
}

// subscriptionListing validates productId, since and ascending; on
// failure it has written a 400 and reports false.
func (s *Server) subscriptionListing(w http.ResponseWriter, r *http.Request) (listing, bool) {
	q := r.URL.Query()
	l := listing{n: s.opts.company.subscriptions}
	product, since, asc := q.Get("productId"), q.Get("since"), q.Get("ascending")
	secs, sinceOK := intParam(since, 0, 0, 1<<40)
	ascending, ascErr := parseAscending(asc)
	switch {
	case product != "" && since != "":
		badQuery(w, "productId and since cannot be used together")
	case product != "" && !digits(product):
		badQuery(w, fmt.Sprintf("productId must be a number, not %q", product))
	case !sinceOK:
		badQuery(w, fmt.Sprintf("since must be a whole number of seconds, not %q", since))
	case ascErr != nil:
		badQuery(w, fmt.Sprintf("ascending must be true or false, not %q", asc))
	default:
		l.desc = !ascending
		l.match = subscriptionFilter(product, since != "", time.Duration(secs)*time.Second)
		return l, true
	}
	return l, false
}

// subscriptionFilter keeps subscriptions with product, or changed within
// since; nil keeps all.
func subscriptionFilter(product string, hasSince bool, since time.Duration) func(int) bool {
	switch {
	case product != "":
		return func(i int) bool { return SubscriptionHasProduct(i, product) }
	case hasSince:
		return func(i int) bool { return SubscriptionAge(i) <= since }
	}
	return nil
}

// parseAscending reads ascending; absent means true.
func parseAscending(v string) (bool, error) {
	if v == "" {
		return true, nil
	}
	return strconv.ParseBool(v)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
