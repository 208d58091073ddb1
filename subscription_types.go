package telenor

import "encoding/json"

// Organization is a company the system user may see (Mobile Subscription
// Info API). Members the SDK does not model are kept in Extra.
type Organization struct {
	// OrgNumber is the nine-digit Norwegian organization number, as sent
	// (orgNumber; organizationNumber is accepted too).
	OrgNumber string
	Name      string
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// UnmarshalJSON decodes leniently; see the type's comment.
func (o *Organization) UnmarshalJSON(b []byte) (err error) {
	o.Extra, err = decodeFields(b, o.fields())
	return err
}

// MarshalJSON encodes the gateway's shape (orgNumber), unknown members
// included.
func (o Organization) MarshalJSON() ([]byte, error) { return encodeFields(o.fields(), o.Extra) }

func (o *Organization) fields() []jsonField {
	return []jsonField{{"orgNumber", &o.OrgNumber}, {"organizationNumber", &o.OrgNumber}, {"name", &o.Name}}
}

// Account is a corporate (invoice) account. Members the SDK does not model
// are kept in Extra.
type Account struct {
	// ID has up to eight digits; invoices print it with the prefix 55.
	ID string
	// AccountReference1 is free text shown on invoice line 2 and as
	// "deres referanse" in EHF invoices.
	AccountReference1 string
	// Owner is the organization that owns the account.
	Owner Organization
	// PersonalPayer is the paying person, present only when a person
	// pays. Its members are not documented: it is kept undecoded.
	PersonalPayer json.RawMessage
	// Invoice is the postal address and invoice format, undecoded (its
	// members are not documented).
	Invoice json.RawMessage
	// Status is PASSIVE (created, not activated), OPEN (activated), or
	// another value the gateway sends.
	Status string
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// UnmarshalJSON decodes leniently; see the type's comment.
func (a *Account) UnmarshalJSON(b []byte) (err error) {
	a.Extra, err = decodeFields(b, a.fields())
	a.PersonalPayer, a.Invoice = nilIfNull(a.PersonalPayer), nilIfNull(a.Invoice)
	return err
}

// MarshalJSON encodes the gateway's shape, unknown members included.
func (a Account) MarshalJSON() ([]byte, error) { return encodeFields(a.fields(), a.Extra) }

func (a *Account) fields() []jsonField {
	return []jsonField{
		{"id", &a.ID}, {"accountReference1", &a.AccountReference1}, {"owner", &a.Owner},
		{"personalPayer", &a.PersonalPayer}, {"invoice", &a.Invoice}, {"status", &a.Status},
	}
}

// MobileSubscription is one mobile subscription of the company, as the
// search endpoint returns it. Members the SDK does not model are kept in
// Extra.
type MobileSubscription struct {
	// MSISDN is the number of the main SIM, e.g. "4799885577" (country
	// code 47, no plus).
	MSISDN string
	// Type is the subscription type, as sent.
	Type string
	// UserReference1 is shown instead of the user's name on the invoice
	// when set.
	UserReference1 string
	UserReference2 string
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// subscriptionWire is the fast path of MobileSubscription.UnmarshalJSON:
// one struct decode for the documented shape.
type subscriptionWire struct {
	MSISDN         string `json:"msisdn"`
	Type           string `json:"type"`
	UserReference1 string `json:"userReference1"`
	UserReference2 string `json:"userReference2"`
}

// UnmarshalJSON decodes leniently; see the type's comment. The documented
// shape takes one struct decode and an allocation-free scan for unknown
// members (an iteration decodes many); anything odd (an unquoted msisdn)
// takes the member-by-member path.
func (m *MobileSubscription) UnmarshalJSON(b []byte) error {
	var w subscriptionWire
	if isNull(b) {
		return nil
	}
	if json.Unmarshal(b, &w) != nil {
		return m.decodeLenient(b)
	}
	*m = MobileSubscription{MSISDN: w.MSISDN, Type: w.Type, UserReference1: w.UserReference1,
		UserReference2: w.UserReference2}
	m.Extra = unknownMembers(b, "msisdn", "type", "userReference1", "userReference2")
	return nil
}

func (m *MobileSubscription) decodeLenient(b []byte) (err error) {
	m.Extra, err = decodeFields(b, m.fields())
	return err
}

// MarshalJSON encodes the gateway's shape, unknown members included.
func (m MobileSubscription) MarshalJSON() ([]byte, error) { return encodeFields(m.fields(), m.Extra) }

func (m *MobileSubscription) fields() []jsonField {
	return []jsonField{
		{"msisdn", &m.MSISDN}, {"type", &m.Type},
		{"userReference1", &m.UserReference1}, {"userReference2", &m.UserReference2},
	}
}

// Agreement is a corporate agreement. Members the SDK does not model are
// kept in Extra.
type Agreement struct {
	ID       string
	Category string // e.g. "Mobilt Bedriftsnett avtale"
	// ValidFrom and ValidTo are dates as sent, e.g. "2017-06-30".
	ValidFrom, ValidTo string
	Owner              AgreementOwner
	Status             string
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// UnmarshalJSON decodes leniently; see the type's comment.
func (a *Agreement) UnmarshalJSON(b []byte) (err error) {
	a.Extra, err = decodeFields(b, a.fields())
	return err
}

// MarshalJSON encodes the gateway's shape, unknown members included.
func (a Agreement) MarshalJSON() ([]byte, error) { return encodeFields(a.fields(), a.Extra) }

func (a *Agreement) fields() []jsonField {
	return []jsonField{
		{"id", &a.ID}, {"category", &a.Category}, {"validFrom", &a.ValidFrom},
		{"validTo", &a.ValidTo}, {"owner", &a.Owner}, {"status", &a.Status},
	}
}

// AgreementOwner is the organization an Agreement belongs to, under the
// member names the agreements endpoint uses.
type AgreementOwner struct {
	// OrganizationNumber is the organization number (organizationNumber;
	// orgNumber is accepted too).
	OrganizationNumber string
	Name               string
	// Extra holds every member not modelled above, undecoded.
	Extra map[string]json.RawMessage
}

// UnmarshalJSON decodes leniently; see the type's comment.
func (o *AgreementOwner) UnmarshalJSON(b []byte) (err error) {
	o.Extra, err = decodeFields(b, o.fields())
	return err
}

// MarshalJSON encodes the gateway's shape (organizationNumber), unknown
// members included.
func (o AgreementOwner) MarshalJSON() ([]byte, error) { return encodeFields(o.fields(), o.Extra) }

func (o *AgreementOwner) fields() []jsonField {
	return []jsonField{
		{"organizationNumber", &o.OrganizationNumber}, {"orgNumber", &o.OrganizationNumber}, {"name", &o.Name},
	}
}

// nilIfNull maps an explicit JSON null to "absent".
func nilIfNull(m json.RawMessage) json.RawMessage {
	if m == nil || isNull(m) {
		return nil
	}
	return m
}
