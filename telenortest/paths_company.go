package telenortest

// Paths of the Mobile Subscription Info API, as on the real gateway. They
// serve a system user's token only (see [WithCompanyData]).
const (
	// OrganizationsPath lists the system user's organizations.
	OrganizationsPath = "/organizations/v1/organizations"
	// AccountsPath pages through the corporate accounts.
	AccountsPath = "/corporate-accounts/v2/accounts"
	// MobileSubscriptionsPath pages through the mobile subscriptions,
	// filtered by productId or since and ordered by ascending.
	MobileSubscriptionsPath = "/corporate-mobile-subscriptions/v2/mobile-subscriptions"
	// AgreementsPath lists the corporate agreements.
	AgreementsPath = "/corporate-agreements/v2/agreements"
)
