// Package telenor is a Go client for Telenor Norway's API gateway
// (api.telenor.no): its OAuth endpoints and the Mobile User API.
//
// It does three jobs:
//
//   - Password grant: a company system user (from Min Bedrift) gets access
//     tokens through [Client.PasswordGrant]. The returned [Session] caches
//     the token, shares one token request among any number of goroutines,
//     and refreshes ahead of expiry, so in steady state no caller waits for
//     the token endpoint.
//   - Line authentication ("log in with your mobile"): the authorization-code
//     grant in which the mobile network identifies the end user, who only
//     consents on Telenor's page. [Client.AuthCodeURL], [StateCookie] and
//     [Client.HandleCallback] turn it into a user [Session].
//   - Mobile User API: [Session.UserInfo] and [Session.DeviceInfo] return
//     typed values, and [Session.Logout] revokes the user's token.
//
// A system user's Session also reads the company's own data (Mobile
// Subscription Info API): [Session.Organizations], [Session.Agreements],
// and the lazily paged iterators [Session.Accounts] and
// [Session.MobileSubscriptions].
//
// Token requests go through golang.org/x/oauth2. Secrets, passwords, tokens
// and codes never appear in an error, a log record or a formatted value.
//
// # Getting started
//
// Create one [Client] per app with the credentials from the Telenor
// developer dashboard, and one [Session] per identity:
//
//	cli, err := telenor.NewClient(telenor.Config{
//		ClientID:     os.Getenv("TELENOR_CLIENT_ID"),
//		ClientSecret: os.Getenv("TELENOR_CLIENT_SECRET"),
//	})
//	if err != nil {
//		return err // matches ErrInvalidConfig and names the field
//	}
//	sys := cli.PasswordGrant(username, password) // share it: one per system user
//	tok, err := sys.Token(ctx)                   // cached
//
// [Config.BaseURL] points the client at another gateway (a staging host, or
// a fake from package telenortest); every endpoint derives from it.
// [Session.HTTPClient] is an *http.Client that adds the Bearer token, for
// APIs the SDK has no typed method for. Run
//
//	go run ./examples/quickstart
//
// in the module to see every job done against a fake gateway, with no
// account.
//
// # Line authentication
//
// The app's start page redirects the browser to [Client.AuthCodeURL] with a
// fresh state; Telenor identifies the line, asks for consent and redirects
// to the app's registered callback, where [Client.HandleCallback] checks the
// state and exchanges the one-time code. [StateCookie] keeps the state in a
// signed, single-use cookie of the user's own browser:
//
//	// GET /login
//	state, err := sc.Issue(w, r)
//	http.Redirect(w, r, cli.AuthCodeURL(state), http.StatusSeeOther)
//
//	// GET /callback
//	state, err := sc.Verify(w, r)
//	user, err := cli.HandleCallback(r.Context(), r, state)
//
// A refusal is an [*AuthError] matching [ErrAccessDenied] whose Description
// is Telenor's text; a forged, replayed or stale callback gives
// [ErrStateMismatch] and nothing is exchanged. The page that starts network
// authentication must be served over plain http (set
// [StateCookie.AllowPlainHTTP]); the callback and everything else stay
// https. A user Session cannot renew itself: when its token expires or is
// revoked, its calls return [ErrReauthenticate] and the app sends the user
// through the flow again. Store the token ([Session.Token]) in the app's
// session store and restore it with [Client.Session]. The linkauth example
// (examples/linkauth) is a complete web app.
//
// # Mobile User API
//
// A user Session reads the consenting subscriber's data:
//
//	info, err := user.UserInfo(ctx)   // name, mobile number, address, birth date, e-mail
//	dev, err := user.DeviceInfo(ctx)  // model, manufacturer, TAC, capabilities
//	err = user.Logout(ctx)            // revoke the token at Telenor and drop it
//
// Decoding is lenient: members the SDK does not model are kept in Extra
// fields, and a capability the gateway does not mention is nil (unknown),
// not false. GET requests are retried on spike arrest, 5xx and connection
// failures with jittered backoff that honours Retry-After. The Bearer token
// is only ever sent to the configured API host, also after redirects.
//
// # Company data
//
// The list endpoints page lazily: a page is fetched only when the loop
// needs it, and breaking out of the loop stops fetching.
//
//	for sub, err := range sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{PageSize: 500}) {
//		if err != nil {
//			return err // the iterator stops after an error
//		}
//		fmt.Println(sub.MSISDN, sub.Type)
//	}
//
// # The token cache
//
// A cached token is read with two atomic loads: no lock, no allocation and
// no clock read. Timers, not goroutines, mark a token due for refresh and
// then stale, so an idle Session costs nothing but two pending timers.
// Expiry counts from when the token request was sent, a token is used until
// a safety margin before it expires (a tenth of its lifetime, at most 30
// seconds), and a missing or unusable expires_in means
// [DefaultTokenLifetime], never "valid forever". A caller's context bounds
// only its own wait; the shared fetch is bounded by [Config.TokenTimeout].
// A rejected password or client secret is sent once: the Session then
// answers that error for ever without a request (see [Client.PasswordGrant]).
// Token requests follow no redirect: they carry the client secret.
//
// Replicas of a fleet share each system user's token through a
// [TokenStore] (module github.com/telenor-go/telenor/redisstore, on Redis),
// and make the token requests of one client; the store is used on the slow
// path only, and when it fails each replica fetches its own token.
//
// # Errors
//
// Token endpoint and callback failures are [*AuthError], API failures
// [*APIError] (HTTP status, Telenor's gateway code, message, Retry-After,
// request id). Both match sentinels with [errors.Is]: [ErrInvalidClient]
// versus [ErrInvalidGrant] tell wrong app credentials from a wrong
// system-user password, [ErrAccessDenied] that the user declined,
// [ErrReauthenticate] that an end user must log in again, [ErrRateLimited]
// a 429, and [ErrInvalidConfig] that the configuration cannot work.
//
//	var apiErr *telenor.APIError
//	switch {
//	case errors.Is(err, telenor.ErrReauthenticate):
//		// redirect the user to /login
//	case errors.As(err, &apiErr):
//		log.Printf("Telenor answered %d (code %d), request id %s", apiErr.StatusCode, apiErr.Code, apiErr.RequestID)
//	}
//
// # Testing
//
// Package [github.com/telenor-go/telenor/telenortest] runs a fake gateway on
// a loopback port, like net/http/httptest: point [Config.BaseURL] at its URL
// and [Config.HTTPClient] at its Client. It serves the password grant, line
// authentication (an interactive consent page, or automatic approval or
// denial), the Mobile User API and logout, issues user tokens without a
// browser (IssueUserToken), and injects the gateway's failures (Fail).
package telenor
