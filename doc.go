// Package telenor is a Go client for Telenor Norway's API gateway
// (api.telenor.no): its OAuth endpoints, the Mobile User API and the
// company-data APIs.
//
// A [Client] holds the app's credentials; a session holds one identity's
// token, and its type says which APIs that identity may call:
//
//   - [Client.PasswordGrant] returns a [SystemSession] for a company system
//     user (from Min Bedrift): [SystemSession.Organizations],
//     [SystemSession.Agreements], and the lazily paged iterators
//     [SystemSession.Accounts] and [SystemSession.MobileSubscriptions]. Its
//     token is cached, fetched once for any number of goroutines, and
//     refreshed ahead of expiry, so in steady state no caller waits.
//   - Line authentication ("log in with your mobile") gives a [UserSession]:
//     [Client.AuthCodeURL], [StateCookie] and [Client.HandleCallback], or
//     [Client.RestoreUserSession] for a token the app stored.
//     [UserSession.UserInfo] and [UserSession.DeviceInfo] read the
//     consenting subscriber's data.
//
// Calling a company API with an end user's session, or the Mobile User API
// with a system user's, does not compile.
//
//	cli, err := telenor.NewClient(telenor.Config{
//		ClientID:     os.Getenv("TELENOR_CLIENT_ID"),
//		ClientSecret: os.Getenv("TELENOR_CLIENT_SECRET"),
//	})
//	if err != nil {
//		return err // matches ErrInvalidConfig and names the field
//	}
//	sys := cli.PasswordGrant(username, password) // share it: one per system user
//	orgs, err := sys.Organizations(ctx)
//
//	// GET /callback, after AuthCodeURL and the user's consent
//	state, err := sc.Verify(w, r)
//	user, err := cli.HandleCallback(r.Context(), r, state)
//	info, err := user.UserInfo(ctx)
//
// Every session's HTTPClient adds the Bearer token for the API host only,
// redirects included, and retries GETs on spike arrest, 5xx and connection
// failures with jittered backoff that honours Retry-After. Token requests
// go through golang.org/x/oauth2 and follow no redirect. Secrets,
// passwords, tokens and codes never appear in an error, a log record or a
// formatted value.
//
// Failures are [*AuthError] (token endpoint, callback) and [*APIError]
// (APIs), matching sentinels with [errors.Is]: [ErrInvalidClient],
// [ErrInvalidGrant], [ErrAccessDenied], [ErrReauthenticate] (an end user
// must log in again), [ErrRateLimited], [ErrInvalidConfig] and more.
//
// Replicas of a fleet share each system user's token through a
// [TokenStore] (module github.com/telenor-go/telenor/redisstore, on Redis),
// and make the token requests of one client; the store is used on the slow
// path only, and when it fails each replica fetches its own token.
//
// Package [github.com/telenor-go/telenor/telenortest] runs a fake gateway on
// a loopback port, like net/http/httptest, for testing code that uses this
// package without an account.
package telenor
