package telenor

import (
	"encoding/json"

	"github.com/telenor-go/telenor/internal/wire"
)

// The company-data types decode, keep unknown members and encode like
// UserInfo. The list items have a view (see viewer) so that a page decodes
// in one pass.

// Organization is a company: one the system user may see (Mobile
// Subscription Info API), or the owner of an account or agreement.
type Organization struct {
	// OrgNumber is the nine-digit Norwegian organization number, as sent:
	// orgNumber (organizations), organizationNumber (agreement owners).
	OrgNumber string `json:"orgNumber" alias:"organizationNumber"`
	Name      string `json:"name"`
	raw       string
}

// Account is a corporate (invoice) account.
type Account struct {
	// ID has up to eight digits; invoices print it with the prefix 55.
	ID string `json:"id"`
	// AccountReference1 is free text shown on invoice line 2 and as
	// "deres referanse" in EHF invoices.
	AccountReference1 string `json:"accountReference1"`
	// Owner is the organization that owns the account.
	Owner Organization `json:"owner"`
	// PersonalPayer is the paying person as sent (nil when absent: the
	// owner pays). Its members are not documented: it is kept undecoded.
	PersonalPayer json.RawMessage `json:"personalPayer"`
	// Invoice is the postal address and invoice format, undecoded (its
	// members are not documented).
	Invoice json.RawMessage `json:"invoice"`
	// Status is PASSIVE (created, not activated), OPEN (created and
	// activated) or CANCELLED, as sent.
	Status string `json:"status"`
	// Type is the account's type as sent, such as NORMAL (the values are
	// not fully documented).
	Type string `json:"type"`
	raw  string
}

// MobileSubscription is one mobile subscription of the company, as the
// search endpoint returns it.
type MobileSubscription struct {
	// MSISDN is the number of the main SIM, e.g. "4799885577" (country
	// code 47, no plus).
	MSISDN string `json:"msisdn"`
	// Type is the subscription type, as sent.
	Type string `json:"type"`
	// UserReference1 is shown instead of the user's name on the invoice
	// when set.
	UserReference1 string `json:"userReference1"`
	UserReference2 string `json:"userReference2"`
	raw            string
}

// Agreement is a corporate agreement.
type Agreement struct {
	ID       string `json:"id"`
	Category string `json:"category"` // e.g. "Mobilt Bedriftsnett avtale"
	// ValidFrom and ValidTo are dates as sent, e.g. "2017-06-30".
	ValidFrom string       `json:"validFrom"`
	ValidTo   string       `json:"validTo"`
	Owner     Organization `json:"owner"`
	Status    string       `json:"status"`
	raw       string
}

// Views of the list items (see viewer) and their methods.
type (
	accountView            Account
	mobileSubscriptionView MobileSubscription
	agreementView          Agreement
)

func (a *Account) view() (any, *string)            { return (*accountView)(a), &a.raw }
func (m *MobileSubscription) view() (any, *string) { return (*mobileSubscriptionView)(m), &m.raw }
func (a *Agreement) view() (any, *string)          { return (*agreementView)(a), &a.raw }

// UnmarshalJSON implements json.Unmarshaler. It decodes member by member,
// which knows the number's two names.
func (o *Organization) UnmarshalJSON(b []byte) error { return wire.DecodeEach(b, o, &o.raw) }

// MarshalJSON implements json.Marshaler.
func (o Organization) MarshalJSON() ([]byte, error) { return wire.Encode(&o, o.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (o Organization) Unknown() map[string]json.RawMessage { return wire.Unknown[Organization](o.raw) }

// UnmarshalJSON implements json.Unmarshaler.
func (a *Account) UnmarshalJSON(b []byte) error { return wire.Decode(b, (*accountView)(a), &a.raw) }

// MarshalJSON implements json.Marshaler.
func (a Account) MarshalJSON() ([]byte, error) { return wire.Encode(&a, a.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (a Account) Unknown() map[string]json.RawMessage { return wire.Unknown[Account](a.raw) }

// UnmarshalJSON implements json.Unmarshaler.
func (m *MobileSubscription) UnmarshalJSON(b []byte) error {
	return wire.Decode(b, (*mobileSubscriptionView)(m), &m.raw)
}

// MarshalJSON implements json.Marshaler.
func (m MobileSubscription) MarshalJSON() ([]byte, error) { return wire.Encode(&m, m.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (m MobileSubscription) Unknown() map[string]json.RawMessage {
	return wire.Unknown[MobileSubscription](m.raw)
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *Agreement) UnmarshalJSON(b []byte) error { return wire.Decode(b, (*agreementView)(a), &a.raw) }

// MarshalJSON implements json.Marshaler.
func (a Agreement) MarshalJSON() ([]byte, error) { return wire.Encode(&a, a.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (a Agreement) Unknown() map[string]json.RawMessage { return wire.Unknown[Agreement](a.raw) }
