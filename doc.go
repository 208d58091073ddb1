// Package telenor is a Go client for Telenor Norway's OAuth gateway and
// Mobile User APIs (api.telenor.no).
//
// It does three jobs:
//
//   - Password grant: a company system user (from Min Bedrift) gets access
//     tokens through [Client.PasswordGrant]. The returned [Session] caches
//     the token, shares one token request among any number of goroutines,
//     and refreshes ahead of expiry in the background, so in steady state
//     no caller waits for the token endpoint.
//   - Authorization-code grant with line authentication: the mobile network
//     identifies the end user, who consents on Telenor's page. The app
//     redirects to [Client.AuthCodeURL] and turns the callback into a user
//     [Session].
//   - Mobile User API: typed calls for user info and device info with a
//     Bearer token that is only ever sent to the configured API host.
//
// # Getting started
//
//	cli, err := telenor.NewClient(telenor.Config{
//		ClientID:     os.Getenv("TELENOR_CLIENT_ID"),
//		ClientSecret: os.Getenv("TELENOR_CLIENT_SECRET"),
//	})
//	if err != nil {
//		return err // matches telenor.ErrInvalidConfig and names the field
//	}
//	sys := cli.PasswordGrant(username, password) // share it: one per system user
//	tok, err := sys.Token(ctx)
//
// # The token cache
//
// A cached token is read with two atomic loads: no lock, no allocation and
// no clock read. Timers, not goroutines, mark a token due for refresh and
// then stale, so an idle Session costs nothing but two pending timers.
// Expiry counts from when the token request was sent, a token is used until
// a safety margin before it expires (a tenth of its lifetime, at most 30
// seconds), and a missing or unusable expires_in means
// [DefaultTokenLifetime], never "valid forever".
//
// # Errors
//
// Token endpoint failures are [*AuthError], API failures [*APIError], and
// both match sentinels with [errors.Is]: [ErrInvalidClient] versus
// [ErrInvalidGrant] tell wrong app credentials from a wrong system-user
// password, [ErrReauthenticate] says an end user must log in again,
// [ErrInvalidConfig] that the configuration cannot work. No error, log
// record or formatted value ever contains a secret, password, token or code.
//
// # Testing
//
// Package [github.com/telenor-go/telenor/telenortest] runs a fake gateway on
// a loopback port, like net/http/httptest, for your own tests and for the
// examples in this module.
package telenor
