package telenortest

import (
	"maps"
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
// tests of code that calls the Mobile User API with a user's token.
func (s *Server) IssueUserToken() string {
	token, _ := s.tokens.issue(s.opts.subscriber.MobileNumber, firstClientID(s.opts.clients))
	return token
}

// firstClientID returns the registered client id that sorts first, for
// tokens minted without a token request.
func firstClientID(clients map[string]string) string {
	return slices.Min(slices.Collect(maps.Keys(clients)))
}
