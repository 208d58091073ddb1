package telenortest

// Paths of the Mobile User API and of logout, as on the real gateway.
const (
	// UserInfoPath serves the consenting subscriber's user info.
	UserInfoPath = "/user-info/v1/users"
	// DeviceInfoPath serves the consenting subscriber's device info.
	DeviceInfoPath = "/mobile-device-info/v1/device"
	// LogoutPath revokes the Bearer token it is called with.
	LogoutPath = "/oauth/v2/logout"
)

// Gateway codes the API endpoints answer with (Telenor's shared list).
const (
	codeHeaderMissing = 40102 // Authorization header missing
	codeTokenInvalid  = 40105 // access token invalid (unknown or revoked)
	codeTokenExpired  = 40106 // access token expired
	codeInvalidScope  = 40301 // the token may not use this API
)
