package telenortest

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/telenor-go/telenor/internal/gateway"
)

// The Mobile Subscription Info API serves a company data set that is a
// pure function of each item's index, so any page of any size is
// generated on demand and two servers with the same options answer the
// same. Subscription i (from 0) has:
//
//   - msisdn "479" followed by i+1 in seven digits (4790000001, …), the
//     sort key of ascending;
//   - productIds: "50795" when i%4 == 0, "50800" when i%5 == 0;
//   - a last change i%720 hours before now, which since filters on;
//   - type "DATA" when i%5 == 4, else "VOICE".

// Sizes of the default company data set.
const (
	// DefaultAccounts is the number of accounts unless [WithCompanyData]
	// says otherwise.
	DefaultAccounts = 40
	// DefaultSubscriptions is the number of mobile subscriptions unless
	// [WithCompanyData] says otherwise.
	DefaultSubscriptions = 2500
)

// Envelope is the shape of a paged list answer (accounts and mobile
// subscriptions); Telenor does not document it, so the server offers both
// likely ones.
type Envelope int

const (
	// EnvelopeArray answers a bare JSON array of the page's items.
	EnvelopeArray Envelope = iota
	// EnvelopeObject wraps the items as Spring does:
	// {"content":[…],"page":N,"pageSize":S,"totalElements":T,"totalPages":P,"last":B}.
	EnvelopeObject
)

// companyOptions sizes and shapes the generated company data set.
type companyOptions struct {
	accounts      int
	subscriptions int
	envelope      Envelope
}

// WithCompanyData sets how many accounts and mobile subscriptions the
// company data set has (defaults [DefaultAccounts] and
// [DefaultSubscriptions]). Items are generated from their index when
// requested, never stored, so 100,000 subscriptions cost no memory.
// Negative counts count as zero; at least one account exists whenever
// there are subscriptions.
func WithCompanyData(accounts, subscriptions int) Option {
	return func(o *options) {
		o.company.accounts = max(accounts, 0)
		o.company.subscriptions = max(subscriptions, 0)
	}
}

// WithPageEnvelope selects the shape of paged list answers (default
// [EnvelopeArray]). Organizations and agreements are bare arrays always,
// as documented.
func WithPageEnvelope(e Envelope) Option {
	return func(o *options) { o.company.envelope = e }
}

// ProductDataPack and ProductRoaming are the add-on product ids the fake's
// subscriptions carry (see [SubscriptionHasProduct]).
const (
	ProductDataPack = "50795"
	ProductRoaming  = "50800"
)

// SubscriptionHasProduct reports whether generated subscription i has the
// add-on product id: ProductDataPack for every fourth, ProductRoaming for
// every fifth.
func SubscriptionHasProduct(i int, productID string) bool {
	switch productID {
	case ProductDataPack:
		return i%4 == 0
	case ProductRoaming:
		return i%5 == 0
	}
	return false
}

// SubscriptionAge is how long before now generated subscription i last
// changed: i%720 hours (up to 30 days).
func SubscriptionAge(i int) time.Duration { return time.Duration(i%720) * time.Hour }

// SubscriptionMSISDN is the number of generated subscription i.
func SubscriptionMSISDN(i int) string { return fmt.Sprintf("479%07d", i+1) }

type organizationJSON struct {
	OrgNumber string `json:"orgNumber"`
	Name      string `json:"name"`
}

type accountJSON struct {
	ID                string           `json:"id"`
	AccountReference1 string           `json:"accountReference1"`
	Owner             organizationJSON `json:"owner"`
	PersonalPayer     *personJSON      `json:"personalPayer,omitempty"`
	Invoice           invoiceJSON      `json:"invoice"`
	Status            string           `json:"status"`
}

type personJSON struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

type invoiceJSON struct {
	Format  string      `json:"format"`
	Address addressJSON `json:"address"`
}

type agreementJSON struct {
	ID        string             `json:"id"`
	Category  string             `json:"category"`
	ValidFrom string             `json:"validFrom"`
	ValidTo   string             `json:"validTo"`
	Owner     agreementOwnerJSON `json:"owner"`
	Status    string             `json:"status"`
}

// agreementOwnerJSON is an organization as the agreements API spells it.
type agreementOwnerJSON struct {
	OrganizationNumber string `json:"organizationNumber"`
	Name               string `json:"name"`
}

type subscriptionJSON struct {
	MSISDN         string   `json:"msisdn"`
	Type           string   `json:"type"`
	UserReference1 string   `json:"userReference1"`
	UserReference2 string   `json:"userReference2,omitempty"`
	AccountID      string   `json:"accountId"`
	ProductIDs     []string `json:"productIds"`
	Status         string   `json:"status"`
}

const (
	organizationCount = 3
	agreementCount    = 4
)

// organizationAt is one of the three organizations of the system user.
func organizationAt(i int) organizationJSON {
	names := [...]string{"Fjordtest AS", "Fjordtest Drift AS", "Fjordtest Eiendom AS"}
	return organizationJSON{OrgNumber: fmt.Sprintf("9%08d", 14742315+i*1111), Name: names[i%len(names)]}
}

// accountID is the id of generated account i: eight digits.
func accountID(i int) string { return strconv.Itoa(10000001 + i) }

// accountAt is generated account i: every tenth has a personal payer,
// every eighth is PASSIVE.
func accountAt(i int) accountJSON {
	a := accountJSON{
		ID:                accountID(i),
		AccountReference1: fmt.Sprintf("Kostnadssted %d", 100+i),
		Owner:             organizationAt(i % organizationCount),
		Invoice: invoiceJSON{Format: "EHF", Address: addressJSON{
			StreetAddress: "Snarøyveien", StreetNumber: "30", PostalCode: "1360",
			PostalLocation: "Fornebu", Country: "NO",
		}},
		Status: "OPEN",
	}
	if i%10 == 9 {
		a.PersonalPayer = &personJSON{FirstName: "Ola", LastName: fmt.Sprintf("Nordmann %d", i)}
	}
	if i%8 == 7 {
		a.Status = "PASSIVE"
	}
	return a
}

// agreementAt is generated agreement i.
func agreementAt(i int) agreementJSON {
	categories := [...]string{"Mobilt Bedriftsnett avtale", "Bedriftsavtale mobil", "Data og roaming"}
	org := organizationAt(i % organizationCount)
	return agreementJSON{
		ID:        strconv.Itoa(123456 + i),
		Category:  categories[i%len(categories)],
		ValidFrom: fmt.Sprintf("%d-06-30", 2017+i),
		ValidTo:   fmt.Sprintf("%d-06-30", 2027+i),
		Owner:     agreementOwnerJSON{OrganizationNumber: org.OrgNumber, Name: org.Name},
		Status:    "ACTIVE",
	}
}

// subscriptionAt is generated subscription i (see the top of this file).
func (s *Server) subscriptionAt(i int) subscriptionJSON {
	sub := subscriptionJSON{
		MSISDN:         SubscriptionMSISDN(i),
		Type:           "VOICE",
		UserReference1: fmt.Sprintf("Ansatt %d", i+1),
		AccountID:      accountID(i % s.opts.company.accounts),
		ProductIDs:     []string{},
		Status:         "ACTIVE",
	}
	if i%5 == 4 {
		sub.Type = "DATA"
	}
	if i%3 == 0 {
		sub.UserReference2 = fmt.Sprintf("Prosjekt %d", i%17)
	}
	for _, p := range [...]string{ProductDataPack, ProductRoaming} {
		if SubscriptionHasProduct(i, p) {
			sub.ProductIDs = append(sub.ProductIDs, p)
		}
	}
	return sub
}

// systemUserGET admits a GET with a token issued to one of the server's
// system users: an end user's token gets 403, as on the real gateway.
func (s *Server) systemUserGET(w http.ResponseWriter, r *http.Request) bool {
	_, ok := s.authorizeGET(w, r, func(subject string) bool { _, system := s.opts.users[subject]; return system },
		"This API needs a token from the company's system user")
	return ok
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
	if !s.systemUserGET(w, r) {
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
	if s.systemUserGET(w, r) {
		servePage(s, w, r, listing{n: s.opts.company.accounts}, accountAt)
	}
}

// handleMobileSubscriptions serves MobileSubscriptionsPath, filtered,
// ordered and paged.
func (s *Server) handleMobileSubscriptions(w http.ResponseWriter, r *http.Request) {
	if !s.systemUserGET(w, r) {
		return
	}
	if l, ok := s.subscriptionListing(w, r); ok {
		servePage(s, w, r, l, s.subscriptionAt)
	}
}

// subscriptionListing validates productId, since and ascending; on
// failure it has written a 400 and reports false.
func (s *Server) subscriptionListing(w http.ResponseWriter, r *http.Request) (listing, bool) {
	q := r.URL.Query()
	l := listing{n: s.opts.company.subscriptions}
	product, since, asc := q.Get("productId"), q.Get("since"), q.Get("ascending")
	secs, sinceOK := intParam(since, 0, 0, 1<<40)
	ascending, ascErr := strconv.ParseBool(cmp.Or(asc, "true")) // absent means ascending
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

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// pageRequest is a validated page/pageSize pair.
type pageRequest struct{ page, size int }

// parsePage validates page (default 0) and pageSize (1 to
// gateway.MaxPageSize, default gateway.DefaultPageSize) as the real API
// does; on failure it has written a 400 Telenor error and reports false.
func parsePage(w http.ResponseWriter, r *http.Request) (pageRequest, bool) {
	q := r.URL.Query()
	page, ok1 := intParam(q.Get("page"), 0, 0, 1<<30)
	size, ok2 := intParam(q.Get("pageSize"), gateway.DefaultPageSize, 1, gateway.MaxPageSize)
	switch {
	case !ok1:
		badQuery(w, fmt.Sprintf("page must be a whole number of 0 or more, not %q", q.Get("page")))
	case !ok2:
		badQuery(w, fmt.Sprintf("pageSize must be a whole number from 1 to %d, not %q", gateway.MaxPageSize, q.Get("pageSize")))
	default:
		return pageRequest{page, size}, true
	}
	return pageRequest{}, false
}

// intParam parses a decimal query value within [lo, hi]; empty means def.
func intParam(v string, def, lo, hi int) (int, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= lo && n <= hi
}

// badQuery answers 400 with Telenor's error body (errorCode 0: the
// gateway's code for bad query parameters is not documented).
func badQuery(w http.ResponseWriter, description string) {
	writeTelenorError(w, http.StatusBadRequest, 0, description)
}

// listing is an ordered, filtered view of indexes 0..n-1.
type listing struct {
	n     int
	match func(int) bool // nil keeps every index
	desc  bool
}

// pageOf returns the indexes on page p and the number of matching items.
func (l listing) pageOf(p pageRequest) (idx []int, total int) {
	start := p.page * p.size
	for k := range l.n {
		i := k
		if l.desc {
			i = l.n - 1 - k
		}
		if l.match != nil && !l.match(i) {
			continue
		}
		if total >= start && total < start+p.size {
			idx = append(idx, i)
		}
		total++
		if l.match == nil && total >= start+p.size {
			return idx, l.n // unfiltered: the total is known
		}
	}
	return idx, total
}

// pageEnvelope is EnvelopeObject's wrapping, Spring style.
type pageEnvelope[T any] struct {
	Content       []T  `json:"content"`
	Page          int  `json:"page"`
	PageSize      int  `json:"pageSize"`
	TotalElements int  `json:"totalElements"`
	TotalPages    int  `json:"totalPages"`
	Last          bool `json:"last"`
}

// servePage answers the page the request asks for of l, whose item i is
// at(i), in the server's envelope.
func servePage[T any](s *Server, w http.ResponseWriter, r *http.Request, l listing, at func(int) T) {
	p, ok := parsePage(w, r)
	if !ok {
		return
	}
	idx, total := l.pageOf(p)
	items := make([]T, len(idx)) // [] rather than null past the end
	for k, i := range idx {
		items[k] = at(i)
	}
	if s.opts.company.envelope != EnvelopeObject {
		writeJSON(w, http.StatusOK, mustJSON(items))
		return
	}
	pages := (total + p.size - 1) / p.size
	writeJSON(w, http.StatusOK, mustJSON(pageEnvelope[T]{
		Content: items, Page: p.page, PageSize: p.size,
		TotalElements: total, TotalPages: pages, Last: p.page+1 >= pages,
	}))
}
