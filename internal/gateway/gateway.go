// Package gateway is the one place for Telenor's gateway paths and error
// codes, shared by the SDK and by telenortest so that the fake serves
// exactly what the SDK calls. See telenor-api.md in the project's notes
// for the sources of each value.
package gateway

// OAuth paths below the gateway's base URL.
const (
	PasswordTokenPath = "/oauth/token"        // password grant (Telenor's specification)
	TokenPath         = "/oauth/v2/token"     // every grant (Telenor's samples); code exchange
	AuthPath          = "/oauth/v2/authorize" // start of line authentication
	LogoutPath        = "/oauth/v2/logout"    // invalidate a user token
)

// API paths below the gateway's base URL.
const (
	UserInfoPath            = "/user-info/v1/users"
	DeviceInfoPath          = "/mobile-device-info/v1/device"
	OrganizationsPath       = "/organizations/v1/organizations"
	AccountsPath            = "/corporate-accounts/v2/accounts"
	MobileSubscriptionsPath = "/corporate-mobile-subscriptions/v2/mobile-subscriptions"
	AgreementsPath          = "/corporate-agreements/v2/agreements"
)

// Gateway error codes from Telenor's shared list (not of fixed width).
const (
	CodeEndUserInvalid  = 40001   // end-user id missing or invalid
	CodeHeaderMissing   = 40102   // Authorization header missing
	CodeNoAPIProduct    = 40103   // the app is not subscribed to this product
	CodeTokenInvalid    = 40105   // access token invalid: get a new token
	CodeTokenExpired    = 40106   // access token expired: get a new token
	CodeInvalidClient   = 40108   // wrong client id/secret in Basic auth
	CodeInvalidScope    = 40301   // invalid scope (e.g. the wrong kind of token)
	CodeGatewayNotFound = 40401   // path or method not found at the gateway
	CodeBackendNotFound = 4042000 // path or method not found on the back end
	CodeQuotaExceeded   = 42901   // quota: back off for a longer window
	CodeSpikeArrest     = 42902   // spike arrest: short back-off and retry
	CodeACRInvalid      = 50002   // failed to validate acr: not transient
	CodeSubscription    = 50003   // failed to validate subscription: not transient
)

// Paging of the company-data lists (accounts, mobile subscriptions).
const (
	DefaultPageSize = 100  // items per page when a request sends no pageSize
	MaxPageSize     = 1000 // the largest pageSize the gateway accepts
)

// Operation returns the SDK method that requests the API path, "" for
// none.
func Operation(path string) string {
	switch path {
	case UserInfoPath:
		return "UserInfo"
	case DeviceInfoPath:
		return "DeviceInfo"
	case OrganizationsPath:
		return "Organizations"
	case AgreementsPath:
		return "Agreements"
	case AccountsPath:
		return "Accounts"
	case MobileSubscriptionsPath:
		return "MobileSubscriptions"
	}
	return ""
}
