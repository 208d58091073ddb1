package telenortest

import (
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Subscriber is the mobile subscriber that the fake network identifies when
// a browser starts line authentication, and whose data the user-info and
// device-info endpoints return for tokens issued after their consent.
type Subscriber struct {
	// MobileNumber is the subscription's number with country code and no
	// plus sign, as Telenor's examples show it, e.g. "4790012345".
	MobileNumber string
	GivenName    string
	MiddleName   string
	FamilyName   string
	// Address parts. Only streetAddress is a documented JSON name; the fake
	// serves the others under the names the SDK models.
	StreetAddress  string
	StreetNumber   string
	Entrance       string
	PostalCode     string
	PostalLocation string
	Country        string
	// BirthDate is ISO-8601, e.g. "1985-04-17".
	BirthDate    string
	EmailAddress string
	Device       Device
}

// FullName returns given, middle and family name joined by single spaces,
// empty parts left out: how the consent page shows the subscriber.
func (s Subscriber) FullName() string {
	return strings.Join(strings.Fields(s.GivenName+" "+s.MiddleName+" "+s.FamilyName), " ")
}

// Device is the subscriber's handset as the device-info endpoint reports it.
type Device struct {
	Model        string
	Manufacturer string
	TAC          string // Type Allocation Code: the first 8 digits of the IMEI
	// Capabilities maps capability names ("hdVoice", "lte", "lteAdvanced",
	// or any other) to support. A name that is absent is served as absent,
	// meaning "unknown".
	Capabilities map[string]bool
}

// DefaultSubscriber is the subscriber the network identifies unless
// [WithSubscriber] says otherwise.
func DefaultSubscriber() Subscriber {
	return Subscriber{
		MobileNumber:   "4790012345",
		GivenName:      "Kari",
		FamilyName:     "Nordmann",
		StreetAddress:  "Snarøyveien",
		StreetNumber:   "30",
		Entrance:       "A",
		PostalCode:     "1360",
		PostalLocation: "Fornebu",
		Country:        "NO",
		BirthDate:      "1985-04-17",
		EmailAddress:   "kari.nordmann@example.no",
		Device: Device{
			Model:        "iPhone 15",
			Manufacturer: "Apple",
			TAC:          "35407115",
			Capabilities: map[string]bool{"hdVoice": true, "lte": true, "lteAdvanced": true, "volte": true},
		},
	}
}

// WithSubscriber sets the subscriber the fake network identifies.
func WithSubscriber(sub Subscriber) Option {
	return func(o *options) { o.subscriber = sub }
}

// Subscriber returns the subscriber the fake network identifies.
func (s *Server) Subscriber() Subscriber { return s.opts.subscriber }

// IssueUserToken issues an access token for the subscriber as if they had
// completed line authentication and consented, without a browser: for
// tests of code that calls the Mobile User API with a user's token. The
// token belongs to the registered client id that sorts first.
func (s *Server) IssueUserToken() string {
	token, _ := s.tokens.issue(s.opts.subscriber.MobileNumber, slices.Min(slices.Collect(maps.Keys(s.opts.clients))))
	return token
}

// userInfoJSON is the user-info body, with the documented member names.
// Address members other than streetAddress are not documented: the fake
// uses the names the SDK models.
type userInfoJSON struct {
	MobileNumber string      `json:"mobileNumber"`
	Name         nameJSON    `json:"name"`
	Address      addressJSON `json:"address"`
	BirthDate    string      `json:"birthDate"`
	EmailAddress string      `json:"emailAddress"`
}

type nameJSON struct {
	GivenName  string `json:"givenName"`
	MiddleName string `json:"middleName,omitempty"`
	FamilyName string `json:"familyName"`
}

type addressJSON struct {
	StreetAddress    string `json:"streetAddress"`
	StreetNumber     string `json:"streetNumber"`
	Entrance         string `json:"entrance,omitempty"`
	PostalCode       string `json:"postalCode"`
	PostalLocation   string `json:"postalLocation"`
	Country          string `json:"country"`
	FormattedAddress string `json:"formattedAddress"`
}

// deviceInfoJSON is the device-info body, with the documented member
// names. Capabilities are served exactly as the Device lists them: an
// absent name means "unknown".
type deviceInfoJSON struct {
	Model        string          `json:"model"`
	Manufacturer string          `json:"manufacturer"`
	TAC          string          `json:"tac"`
	Capabilities map[string]bool `json:"capabilities"`
}

// subscriberGET admits a GET with a token issued for the subscriber: a
// system user's token gets 403, as these APIs need the end user's consent.
func (s *Server) subscriberGET(w http.ResponseWriter, r *http.Request) bool {
	_, ok := s.authorizeGET(w, r, func(subject string) bool { return subject == s.opts.subscriber.MobileNumber },
		"This API needs a token from an end user's consent")
	return ok
}

// handleUserInfo serves UserInfoPath for the subscriber's tokens.
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	if !s.subscriberGET(w, r) {
		return
	}
	sub := s.opts.subscriber
	writeJSON(w, http.StatusOK, mustJSON(userInfoJSON{
		MobileNumber: sub.MobileNumber,
		Name:         nameJSON{sub.GivenName, sub.MiddleName, sub.FamilyName},
		Address: addressJSON{
			StreetAddress:    sub.StreetAddress,
			StreetNumber:     sub.StreetNumber,
			Entrance:         sub.Entrance,
			PostalCode:       sub.PostalCode,
			PostalLocation:   sub.PostalLocation,
			Country:          sub.Country,
			FormattedAddress: formatAddress(sub),
		},
		BirthDate:    sub.BirthDate,
		EmailAddress: sub.EmailAddress,
	}))
}

// formatAddress writes the address on one line, Norwegian style:
// "Snarøyveien 30 A, 1360 Fornebu".
func formatAddress(sub Subscriber) string {
	street := strings.Join(strings.Fields(sub.StreetAddress+" "+sub.StreetNumber+" "+sub.Entrance), " ")
	town := strings.TrimSpace(sub.PostalCode + " " + sub.PostalLocation)
	if street == "" || town == "" {
		return street + town
	}
	return street + ", " + town
}

// handleDeviceInfo serves DeviceInfoPath for the subscriber's tokens.
func (s *Server) handleDeviceInfo(w http.ResponseWriter, r *http.Request) {
	if !s.subscriberGET(w, r) {
		return
	}
	d := s.opts.subscriber.Device
	caps := d.Capabilities
	if caps == nil {
		caps = map[string]bool{} // an empty object, not null
	}
	writeJSON(w, http.StatusOK, mustJSON(deviceInfoJSON{d.Model, d.Manufacturer, d.TAC, caps}))
}

// handleLogout serves LogoutPath as documented: GET with a Bearer token,
// which it revokes, answering the plain text "OK!" (not JSON). Any valid
// token may log out, a system user's too.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	token, ok := s.authorizeGET(w, r, nil, "")
	if !ok {
		return
	}
	s.Revoke(token)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", "3")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "OK!")
}
