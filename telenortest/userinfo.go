package telenortest

import (
	"net/http"
	"strings"
)

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

// handleUserInfo serves UserInfoPath for the subscriber's tokens.
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	if !s.subscriberToken(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, mustJSON(userInfoOf(s.opts.subscriber)))
}

func userInfoOf(sub Subscriber) userInfoJSON {
	return userInfoJSON{
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
	}
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
