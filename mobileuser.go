package telenor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/telenor-go/telenor/internal/gateway"
)

// UserInfo is what the Mobile User Info API knows about the subscriber who
// consented. Members the SDK does not model are kept in Extra.
type UserInfo struct {
	// MobileNumber is the number of the subscription, as the gateway
	// sends it (Telenor's examples use 47 and eight digits, no plus).
	MobileNumber string
	Name         Name
	Address      Address
	BirthDate    BirthDate
	// EmailAddress is the contact e-mail the user chose.
	EmailAddress string
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// Name is the user's name.
type Name struct {
	GivenName, MiddleName, FamilyName string
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// Address is the user's postal address. Telenor documents only the JSON
// name streetAddress; the other names are the likely ones, and anything
// else the gateway sends is kept in Extra.
type Address struct {
	StreetAddress    string // street name
	StreetNumber     string // house number
	Entrance         string // entrance ("oppgang")
	PostalCode       string
	PostalLocation   string // town
	Country          string
	FormattedAddress string // the whole address on one line
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// userInfoWire is the fast path of UserInfo.UnmarshalJSON: one struct
// decode for the documented shape.
type userInfoWire struct {
	MobileNumber string `json:"mobileNumber"`
	Name         struct {
		GivenName  string `json:"givenName"`
		MiddleName string `json:"middleName"`
		FamilyName string `json:"familyName"`
	} `json:"name"`
	Address struct {
		StreetAddress    string `json:"streetAddress"`
		StreetNumber     string `json:"streetNumber"`
		Entrance         string `json:"entrance"`
		PostalCode       string `json:"postalCode"`
		PostalLocation   string `json:"postalLocation"`
		Country          string `json:"country"`
		FormattedAddress string `json:"formattedAddress"`
	} `json:"address"`
	BirthDate    *string `json:"birthDate"`
	EmailAddress string  `json:"emailAddress"`
}

// UnmarshalJSON decodes leniently; see the type's comment. The documented
// shape takes one struct decode and an allocation-free scan for unknown
// members; anything odd (a number where a string belongs) takes the
// member-by-member path.
func (u *UserInfo) UnmarshalJSON(b []byte) error {
	var w userInfoWire
	if isNull(b) {
		return nil
	}
	if json.Unmarshal(b, &w) != nil {
		return u.decodeLenient(b)
	}
	n, a := w.Name, w.Address
	*u = UserInfo{
		MobileNumber: w.MobileNumber, EmailAddress: w.EmailAddress,
		Name: Name{GivenName: n.GivenName, MiddleName: n.MiddleName, FamilyName: n.FamilyName},
		Address: Address{StreetAddress: a.StreetAddress, StreetNumber: a.StreetNumber, Entrance: a.Entrance,
			PostalCode: a.PostalCode, PostalLocation: a.PostalLocation, Country: a.Country,
			FormattedAddress: a.FormattedAddress},
	}
	if w.BirthDate != nil {
		u.BirthDate = ParseBirthDate(*w.BirthDate)
	}
	members(b, func(k, v []byte) {
		switch {
		case oneOf(k, "name"):
			u.Name.Extra = unknownMembers(v, "givenName", "middleName", "familyName")
		case oneOf(k, "address"):
			u.Address.Extra = unknownMembers(v, "streetAddress", "streetNumber", "entrance",
				"postalCode", "postalLocation", "country", "formattedAddress")
		case !oneOf(k, "mobileNumber", "birthDate", "emailAddress"):
			u.Extra = addExtra(u.Extra, k, v)
		}
	})
	return nil
}

// decodeLenient decodes member by member, keeping what does not fit.
func (u *UserInfo) decodeLenient(b []byte) (err error) {
	u.Extra, err = decodeFields(b, u.fields())
	return err
}

// fields binds UserInfo's wire names to its fields, for decoding and
// encoding alike.
func (u *UserInfo) fields() []jsonField {
	return []jsonField{
		{"mobileNumber", &u.MobileNumber}, {"name", &u.Name}, {"address", &u.Address},
		{"birthDate", &u.BirthDate}, {"emailAddress", &u.EmailAddress},
	}
}

// MarshalJSON encodes the gateway's shape, unknown members included, so a
// stored UserInfo decodes back to an equal value.
func (u UserInfo) MarshalJSON() ([]byte, error) { return encodeFields(u.fields(), u.Extra) }

// UnmarshalJSON decodes leniently; see the type's comment.
func (n *Name) UnmarshalJSON(b []byte) (err error) {
	n.Extra, err = decodeFields(b, n.fields())
	return err
}

// MarshalJSON encodes the gateway's shape, unknown members included.
func (n Name) MarshalJSON() ([]byte, error) { return encodeFields(n.fields(), n.Extra) }

func (n *Name) fields() []jsonField {
	return []jsonField{{"givenName", &n.GivenName}, {"middleName", &n.MiddleName}, {"familyName", &n.FamilyName}}
}

// UnmarshalJSON decodes leniently; see the type's comment.
func (a *Address) UnmarshalJSON(b []byte) (err error) {
	a.Extra, err = decodeFields(b, a.fields())
	return err
}

// MarshalJSON encodes the gateway's shape, unknown members included.
func (a Address) MarshalJSON() ([]byte, error) { return encodeFields(a.fields(), a.Extra) }

func (a *Address) fields() []jsonField {
	return []jsonField{
		{"streetAddress", &a.StreetAddress}, {"streetNumber", &a.StreetNumber},
		{"entrance", &a.Entrance}, {"postalCode", &a.PostalCode},
		{"postalLocation", &a.PostalLocation}, {"country", &a.Country},
		{"formattedAddress", &a.FormattedAddress},
	}
}

// DeviceInfo is what the Mobile Device Info API knows about the consenting
// subscriber's handset. Members the SDK does not model are kept in Extra.
type DeviceInfo struct {
	Model        string // e.g. "iPhone 7"
	Manufacturer string // e.g. "Apple"
	TAC          string // Type Allocation Code: the first 8 digits of the IMEI
	Capabilities Capabilities
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// Capabilities says what the device supports on Telenor's network. A nil
// field means the gateway did not say: support is unknown, not absent.
type Capabilities struct {
	HDVoice     *bool // hdVoice
	LTE         *bool // lte (4G)
	LTEAdvanced *bool // lteAdvanced (4G+)
	// Other holds boolean capabilities the SDK does not model (the list is
	// not fully documented: VoLTE, Wi-Fi calling, 5G may appear here),
	// under the gateway's names.
	Other map[string]bool
	// Extra holds members that are not booleans, undecoded.
	Extra map[string]json.RawMessage
}

// UnmarshalJSON decodes leniently; see the type's comment.
func (d *DeviceInfo) UnmarshalJSON(b []byte) (err error) {
	d.Extra, err = decodeFields(b, d.fields())
	return err
}

// MarshalJSON encodes the gateway's shape, unknown members included, so a
// stored DeviceInfo decodes back to an equal value.
func (d DeviceInfo) MarshalJSON() ([]byte, error) { return encodeFields(d.fields(), d.Extra) }

func (d *DeviceInfo) fields() []jsonField {
	return []jsonField{
		{"model", &d.Model}, {"manufacturer", &d.Manufacturer}, {"tac", &d.TAC},
		{"capabilities", &d.Capabilities},
	}
}

// UnmarshalJSON decodes leniently; see the type's comment.
func (c *Capabilities) UnmarshalJSON(b []byte) error {
	rest, err := decodeFields(b, c.fields())
	for k, v := range rest {
		var on bool
		if json.Unmarshal(v, &on) != nil {
			c.Extra = setRaw(c.Extra, k, v)
			continue
		}
		if c.Other == nil {
			c.Other = map[string]bool{}
		}
		c.Other[k] = on
	}
	return err
}

// MarshalJSON encodes the gateway's shape: the modelled capabilities that
// are known, every Other capability and the Extra members.
func (c Capabilities) MarshalJSON() ([]byte, error) {
	rest := make(map[string]json.RawMessage, len(c.Extra)+len(c.Other))
	for k, v := range c.Extra {
		rest[k] = v
	}
	for k, on := range c.Other {
		rest[k] = json.RawMessage(strconv.FormatBool(on))
	}
	return encodeFields(c.fields(), rest)
}

func (c *Capabilities) fields() []jsonField {
	return []jsonField{{"hdVoice", &c.HDVoice}, {"lte", &c.LTE}, {"lteAdvanced", &c.LTEAdvanced}}
}

func setRaw(m map[string]json.RawMessage, k string, v json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	m[k] = v
	return m
}

// UserInfo returns the consenting subscriber's data: GET
// /user-info/v1/users. See HTTPClient for retries and 401 handling.
func (s *UserSession) UserInfo(ctx context.Context) (*UserInfo, error) {
	var u UserInfo
	suspect := func() bool { return len(u.Extra) > 0 }
	if err := s.core().getJSON(ctx, gateway.UserInfoPath, nil, &u, suspect, "mobileNumber", "name", "address", "birthDate", "emailAddress"); err != nil {
		return nil, err
	}
	return &u, nil
}

// DeviceInfo returns the consenting subscriber's device data: GET
// /mobile-device-info/v1/device.
func (s *UserSession) DeviceInfo(ctx context.Context) (*DeviceInfo, error) {
	var d DeviceInfo
	suspect := func() bool { return len(d.Extra) > 0 }
	if err := s.core().getJSON(ctx, gateway.DeviceInfoPath, nil, &d, suspect, "model", "manufacturer", "tac", "capabilities"); err != nil {
		return nil, err
	}
	return &d, nil
}

// logout is UserSession.Logout and SystemSession.Logout.
func (s *session) logout(ctx context.Context) error {
	if s == nil || s.client == nil {
		return errNoSession()
	}
	defer s.cache.drop()
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
	return strings.EqualFold(b, "OK!") || strings.EqualFold(b, "OK")
}
