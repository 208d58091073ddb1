package telenortest

import "fmt"

type accountJSON struct {
	ID                string           `json:"id"`
	AccountReference1 string           `json:"accountReference1"`
	Owner             organizationJSON `json:"owner"`
	PersonalPayer     *personJSON      `json:"personalPayer,omitempty"`
	Invoice           invoiceJSON      `json:"invoice"`
	Status            string           `json:"status"`
}

type personJSON struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

type invoiceJSON struct {
	Format  string      `json:"format"`
	Address addressJSON `json:"address"`
}

// accountID is the id of generated account i: eight digits.
func accountID(i int) string { return fmt.Sprintf("%d", 10000001+i) }

// accountAt is generated account i: every tenth has a personal payer,
// every eighth is PASSIVE.
func accountAt(i int) accountJSON {
	a := accountJSON{
		ID:                accountID(i),
		AccountReference1: fmt.Sprintf("Kostnadssted %d", 100+i),
		Owner:             organizationAt(i % organizationCount),
		Invoice: invoiceJSON{Format: "EHF", Address: addressJSON{
			StreetAddress: "Snarøyveien", StreetNumber: "30", PostalCode: "1360",
			PostalLocation: "Fornebu", Country: "NO",
		}},
		Status: "OPEN",
	}
	if i%10 == 9 {
		a.PersonalPayer = &personJSON{FirstName: "Ola", LastName: fmt.Sprintf("Nordmann %d", i)}
	}
	if i%8 == 7 {
		a.Status = "PASSIVE"
	}
	return a
}

type agreementJSON struct {
	ID        string             `json:"id"`
	Category  string             `json:"category"`
	ValidFrom string             `json:"validFrom"`
	ValidTo   string             `json:"validTo"`
	Owner     agreementOwnerJSON `json:"owner"`
	Status    string             `json:"status"`
}

type agreementOwnerJSON struct {
	OrganizationNumber string `json:"organizationNumber"`
	Name               string `json:"name"`
}

const agreementCount = 4

// agreementAt is generated agreement i.
func agreementAt(i int) agreementJSON {
	categories := [...]string{"Mobilt Bedriftsnett avtale", "Bedriftsavtale mobil", "Data og roaming"}
	org := organizationAt(i % organizationCount)
	return agreementJSON{
		ID:        fmt.Sprintf("%d", 123456+i),
		Category:  categories[i%len(categories)],
		ValidFrom: fmt.Sprintf("%d-06-30", 2017+i),
		ValidTo:   fmt.Sprintf("%d-06-30", 2027+i),
		Owner:     agreementOwnerJSON{OrganizationNumber: org.OrgNumber, Name: org.Name},
		Status:    "ACTIVE",
	}
}
