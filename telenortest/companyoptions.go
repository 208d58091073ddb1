package telenortest

// Sizes of the default company data set.
const (
	// DefaultAccounts is the number of accounts unless [WithCompanyData]
	// says otherwise.
	DefaultAccounts = 40
	// DefaultSubscriptions is the number of mobile subscriptions unless
	// [WithCompanyData] says otherwise.
	DefaultSubscriptions = 2500
	// DefaultPageSize is the page size of a list request without pageSize.
	DefaultPageSize = 100
	// MaxPageSize is the largest pageSize the server accepts, as the real
	// API.
	MaxPageSize = 1000
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

// companyOptions sizes the generated company data set.
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
