package telenor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/wire"
)

// UserInfo is what the Mobile User Info API knows about the subscriber who
// consented. The object as sent is kept: Unknown returns the members the
// SDK does not model, and json.Marshal writes the gateway's shape back.
type UserInfo struct {
	// MobileNumber is the number of the subscription, as the gateway
	// sends it (Telenor's examples use 47 and eight digits, no plus).
	MobileNumber string    `json:"mobileNumber"`
	Name         Name      `json:"name"`
	Address      Address   `json:"address"`
	BirthDate    BirthDate `json:"birthDate"`
	// EmailAddress is the contact e-mail the user chose.
	EmailAddress string `json:"emailAddress"`
	raw          string
}

// Name is the user's name.
type Name struct {
	GivenName  string `json:"givenName"`
	MiddleName string `json:"middleName"`
	FamilyName string `json:"familyName"`
	raw        string
}

// Address is the user's postal address. Telenor documents only the JSON
// name streetAddress; the other names are the likely ones, and Unknown
// returns anything else the gateway sends.
type Address struct {
	StreetAddress    string `json:"streetAddress"` // street name
	StreetNumber     string `json:"streetNumber"`  // house number
	Entrance         string `json:"entrance"`      // entrance ("oppgang")
	PostalCode       string `json:"postalCode"`
	PostalLocation   string `json:"postalLocation"` // town
	Country          string `json:"country"`
	FormattedAddress string `json:"formattedAddress"` // the whole address on one line
	raw              string
}

// DeviceInfo is what the Mobile Device Info API knows about the consenting
// subscriber's handset. Unknown returns the members the SDK does not
// model.
type DeviceInfo struct {
	Model        string       `json:"model"`        // e.g. "iPhone 7"
	Manufacturer string       `json:"manufacturer"` // e.g. "Apple"
	TAC          string       `json:"tac"`          // Type Allocation Code: the first 8 digits of the IMEI
	Capabilities Capabilities `json:"capabilities"`
	raw          string
}

// The API types decode leniently (a member of an unusable type is left
// to Unknown instead of failing the response; a number is taken for a
// string), keep the object as sent, and encode back to it. A view is the
// type without methods, for encoding/json.
type (
	userInfoView     UserInfo
	nameView         Name
	addressView      Address
	deviceInfoView   DeviceInfo
	capabilitiesView Capabilities
)

// UnmarshalJSON implements json.Unmarshaler.
func (u *UserInfo) UnmarshalJSON(b []byte) error { return wire.Decode(b, (*userInfoView)(u), &u.raw) }

// MarshalJSON implements json.Marshaler.
func (u UserInfo) MarshalJSON() ([]byte, error) { return wire.Encode(&u, u.raw) }

// Unknown returns the members the gateway sent that no field holds (also
// a known member whose value did not fit), decoded on each call; nil when
// there are none.
func (u UserInfo) Unknown() map[string]json.RawMessage { return wire.Unknown[UserInfo](u.raw) }

// UnmarshalJSON implements json.Unmarshaler.
func (n *Name) UnmarshalJSON(b []byte) error { return wire.Decode(b, (*nameView)(n), &n.raw) }

// MarshalJSON implements json.Marshaler.
func (n Name) MarshalJSON() ([]byte, error) { return wire.Encode(&n, n.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (n Name) Unknown() map[string]json.RawMessage { return wire.Unknown[Name](n.raw) }

// Full returns the name as written: given, middle and family name joined
// by single spaces, empty parts left out.
func (n Name) Full() string {
	return strings.Join(strings.Fields(n.GivenName+" "+n.MiddleName+" "+n.FamilyName), " ")
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *Address) UnmarshalJSON(b []byte) error { return wire.Decode(b, (*addressView)(a), &a.raw) }

// MarshalJSON implements json.Marshaler.
func (a Address) MarshalJSON() ([]byte, error) { return wire.Encode(&a, a.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (a Address) Unknown() map[string]json.RawMessage { return wire.Unknown[Address](a.raw) }

// UnmarshalJSON implements json.Unmarshaler.
func (d *DeviceInfo) UnmarshalJSON(b []byte) error {
	return wire.Decode(b, (*deviceInfoView)(d), &d.raw)
}

// MarshalJSON implements json.Marshaler.
func (d DeviceInfo) MarshalJSON() ([]byte, error) { return wire.Encode(&d, d.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (d DeviceInfo) Unknown() map[string]json.RawMessage { return wire.Unknown[DeviceInfo](d.raw) }

// UserInfo returns the consenting subscriber's data: GET
// /user-info/v1/users. See HTTPClient for retries and 401 handling.
func (s *UserSession) UserInfo(ctx context.Context) (*UserInfo, error) {
	return getJSON(ctx, s.core(), gateway.UserInfoPath, func(u *UserInfo) bool { return u.MobileNumber == "" })
}

// DeviceInfo returns the consenting subscriber's device data: GET
// /mobile-device-info/v1/device.
func (s *UserSession) DeviceInfo(ctx context.Context) (*DeviceInfo, error) {
	return getJSON(ctx, s.core(), gateway.DeviceInfoPath, func(d *DeviceInfo) bool { return d.Model == "" })
}

// logout is UserSession.Logout and SystemSession.Logout.
func (s *session) logout(ctx context.Context) error {
	if s == nil || s.client == nil {
		return errNoSession()
	}
	defer s.cache.Drop()
	ctx = context.WithValue(context.WithValue(ctx, noReplayKey{}, true), noRedirectKey{}, true)
	res, err := s.call(ctx, http.MethodGet, s.client.endpoint.LogoutURL, "text/plain, application/json", maxLogoutBody)
	if err == nil {
		if res.status == http.StatusOK && confirmsLogout(res.body) {
			return nil
		}
		err = res.unexpected()
	}
	return fmt.Errorf("telenor: logout not confirmed: %w", err)
}

// confirmsLogout reports whether body is the logout endpoint's "OK!".
func confirmsLogout(body []byte) bool {
	b := strings.TrimSpace(string(body))
	return strings.EqualFold(strings.TrimSuffix(b, "!"), "OK")
}
