// Package telenortest runs a fake Telenor Norway OAuth gateway
// (api.telenor.no) for tests and example programs.
//
// Like [net/http/httptest], [NewServer] starts a [Server] on a loopback
// port; its URL and Client let any HTTP client, including
// golang.org/x/oauth2, talk to it. The server knows one OAuth client
// ([DefaultClientID], [DefaultClientSecret]) and one Min Bedrift system
// user ([DefaultUsername], [DefaultPassword]) unless options say otherwise,
// and issues random access tokens that it remembers, so tests can look
// them up, revoke them or expire them.
//
//	srv := telenortest.NewServer()
//	defer srv.Close()
//
//	conf := &oauth2.Config{
//		ClientID:     telenortest.DefaultClientID,
//		ClientSecret: telenortest.DefaultClientSecret,
//		Endpoint: oauth2.Endpoint{
//			TokenURL:  srv.URL + telenortest.PasswordTokenPath,
//			AuthStyle: oauth2.AuthStyleInHeader,
//		},
//	}
//	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
//	tok, err := conf.PasswordCredentialsToken(ctx,
//		telenortest.DefaultUsername, telenortest.DefaultPassword)
//
// # Endpoints
//
// POST [PasswordTokenPath] and POST [TokenPath] issue tokens for the
// password grant, and [TokenPath] also for the authorization-code grant,
// authenticating the client with HTTP Basic as Telenor's gateway does;
// tokens live [DefaultExpiresIn] unless [WithTokenLifetime] says otherwise.
// GET [AuthPath] simulates line authentication: the fake network
// identifies the [Subscriber], who approves or denies on a consent page
// (or automatically, see [WithConsent]), and the browser is redirected to
// the registered callback ([WithRedirectURL]) with a single-use code or
// error=access_denied. It is as strict as a real gateway, so a test fails
// where production would: without a registered callback, or with a
// redirect_uri other than it, it shows an error page and redirects
// nowhere; a request without state, or with a response_type other than
// code, gets an OAuth error on the callback and no code; a code is
// exchanged only by the client it was issued to, once, and with the
// identical redirect_uri when the request carried one. PKCE (RFC 7636) is
// enforced when the request carries a code_challenge: S256 only, and the
// exchange must send the matching code_verifier (and may send none
// without a challenge). GET [UserInfoPath] and GET [DeviceInfoPath] serve the
// [Subscriber]'s data for tokens issued for that subscriber (see
// [Server.IssueUserToken]); a system user's token gets 403 (code 40301).
// GET [LogoutPath] revokes the Bearer token and answers "OK!".
//
// The Mobile Subscription Info API serves a system user's tokens (an end
// user's get 403, code 40301) from a company data set generated from each
// item's index ([WithCompanyData]; 40 accounts and 2,500 subscriptions by
// default): GET [OrganizationsPath] and GET [AgreementsPath] answer bare
// arrays; GET [AccountsPath] and GET [MobileSubscriptionsPath] page with
// page and pageSize (1 to 1000, default 100; anything else is a 400 with
// Telenor's error body) in the shape [WithPageEnvelope] selects, and the
// subscriptions honour productId, since and ascending (see
// [SubscriptionHasProduct] and [SubscriptionAge]). A missing
// token gets 401 with code 40102, an unknown or revoked one 40105 and an
// expired one 40106, with Telenor's JSON error body. Every other path
// answers 404 with an Apigee fault body.
//
// # Failures
//
// [Server.Fail] makes the next requests to a path fail the way a real
// gateway can: error statuses with Telenor, Apigee, OAuth or HTML bodies,
// Retry-After headers, delays, hung requests, connection resets and huge
// bodies. [Server.Requests] counts what reached each path, faults
// included. Faults and counters work for every path the server has.
//
// # Virtual time
//
// The server uses the real clock (time.Now and timers), so inside a
// [testing/synctest] bubble it follows the bubble's virtual clock. Real
// sockets do not work well in bubbles: create the server inside the
// bubble with [NewUnstartedServer], do not Start it, and use
// [Server.Client], which then serves requests in-process through
// [Server.Handler]; a ten-minute Delay fault then takes no real time.
package telenortest
