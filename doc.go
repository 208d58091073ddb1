// Package telenor is a Go client for Telenor Norway's API gateway
// (api.telenor.no): its OAuth endpoints, the Mobile User API and the
// company-data APIs.
//
// A [Client] holds the app's credentials; a session holds one identity's
// token, and its type says which APIs that identity may call, so a call
// with the wrong identity does not compile:
//
//   - [Client.PasswordGrant] returns a [SystemSession] for a company system
//     user (from Min Bedrift): Organizations, Agreements, and the lazily
//     paged Accounts and MobileSubscriptions. Its token is fetched once for
//     any number of goroutines and refreshed ahead of expiry.
//   - Line authentication ("log in with your mobile") gives a [UserSession]:
//     [Client.AuthCodeURL], [StateCookie] and [Client.HandleCallback], or
//     [Client.RestoreUserSession] for a stored token. It reads UserInfo and
//     DeviceInfo.
//
// For example:
//
//	cli, err := telenor.NewClient(telenor.Config{
//		ClientID:     os.Getenv("TELENOR_CLIENT_ID"),
//		ClientSecret: os.Getenv("TELENOR_CLIENT_SECRET"),
//	})
//	sys := cli.PasswordGrant(username, password) // share it: one per system user
//	orgs, err := sys.Organizations(ctx)
//
// Every session's HTTPClient adds the Bearer token for the API host only
// and retries GETs on spike arrest, 5xx and connection failures with
// jittered backoff that honours Retry-After. Secrets never appear in an
// error, a log record or a formatted value. Failures are [*AuthError] and
// [*APIError], matching sentinels such as [ErrInvalidGrant] and
// [ErrReauthenticate] with [errors.Is]. A fleet of replicas shares tokens
// through a [TokenStore].
//
// Package [github.com/telenor-go/telenor/telenortest] runs a fake gateway on
// a loopback port, like net/http/httptest, for testing code that uses this
// package without an account.
package telenor
