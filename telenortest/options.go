package telenortest

import "time"

// Credentials the server accepts when no option replaces them.
const (
	// DefaultClientID is the OAuth client id of the default client.
	DefaultClientID = "telenortest-client"
	// DefaultClientSecret is the secret of the default client.
	DefaultClientSecret = "telenortest-secret"
	// DefaultUsername is the default Min Bedrift system user, shaped like
	// the user names in Telenor's documentation.
	DefaultUsername = "API1000XYZ"
	// DefaultPassword is the password of DefaultUsername.
	DefaultPassword = "telenortest-password"
)

// DefaultTokenLifetime is how long issued tokens live unless
// [WithTokenLifetime] or [Server.SetTokenLifetime] says otherwise; it is
// the expires_in value Telenor documents.
const DefaultTokenLifetime = 3599 * time.Second

// An Option configures a [Server] made by [NewServer] or
// [NewUnstartedServer].
type Option func(*options)

// options is what the Option functions fill in.
type options struct {
	clients    map[string]string // client id -> secret
	users      map[string]string // username -> password
	lifetime   time.Duration
	expiresIn  expiresInFormat
	rawExpiry  string // for expiresInRaw
	subscriber Subscriber
	authz      authzOptions   // the authorization endpoint's (consent.go)
	company    companyOptions // the company data set (companyoptions.go)
}

// expiresInFormat says how the token response spells expires_in.
type expiresInFormat int

const (
	expiresInNumber expiresInFormat = iota // "expires_in":3599
	expiresInString                        // "expires_in":"3599"
	expiresInRaw                           // options.rawExpiry verbatim, or omitted
)

// newOptions applies opts over the defaults.
func newOptions(opts []Option) options {
	o := options{
		clients:    map[string]string{},
		users:      map[string]string{},
		lifetime:   DefaultTokenLifetime,
		subscriber: DefaultSubscriber(),
		company:    companyOptions{accounts: DefaultAccounts, subscriptions: DefaultSubscriptions},
	}
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.clients) == 0 {
		o.clients[DefaultClientID] = DefaultClientSecret
	}
	if len(o.users) == 0 {
		o.users[DefaultUsername] = DefaultPassword
	}
	if o.company.subscriptions > 0 && o.company.accounts == 0 {
		o.company.accounts = 1
	}
	return o
}

// WithClient registers an OAuth client. The first WithClient replaces the
// default client; further calls add more clients (the same id again
// replaces its secret).
func WithClient(id, secret string) Option {
	return func(o *options) { o.clients[id] = secret }
}

// WithSystemUser registers a system user for the password grant. The
// first WithSystemUser replaces the default user; further calls add more
// users (the same name again replaces its password).
func WithSystemUser(username, password string) Option {
	return func(o *options) { o.users[username] = password }
}

// WithTokenLifetime sets the lifetime of issued tokens; expires_in is d in
// whole seconds, truncated. Zero or negative lifetimes are allowed and
// issue tokens that are already expired.
func WithTokenLifetime(d time.Duration) Option {
	return func(o *options) { o.lifetime = d }
}

// WithExpiresInString makes the token response send expires_in as a JSON
// string, "3599", the shape Apigee produces by default. The last of
// WithExpiresInString and [WithRawExpiresIn] wins.
func WithExpiresInString() Option {
	return func(o *options) { o.expiresIn = expiresInString }
}

// WithRawExpiresIn makes the token response send raw, verbatim and
// unvalidated, as the value of expires_in: for example `0`, `-5`,
// `"abc"`, `1e30` or `null`. An empty raw omits the expires_in member.
// The token's recorded expiry still follows the token lifetime. The last
// of [WithExpiresInString] and WithRawExpiresIn wins.
func WithRawExpiresIn(raw string) Option {
	return func(o *options) {
		o.expiresIn = expiresInRaw
		o.rawExpiry = raw
	}
}
