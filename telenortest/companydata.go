package telenortest

import (
	"fmt"
	"time"
)

// The company data set is a pure function of each item's index, so any
// page of any size is generated on demand and two servers with the same
// options answer the same. Subscription i (from 0) has:
//
//   - msisdn "479" followed by i+1 in seven digits (4790000001, …), the
//     sort key of ascending;
//   - productIds: "50795" when i%4 == 0, "50800" when i%5 == 0;
//   - a last change i%720 hours before now, which since filters on;
//   - type "DATA" when i%5 == 4, else "VOICE".

// ProductDataPack and ProductRoaming are the add-on product ids the fake's
// subscriptions carry (see [SubscriptionHasProduct]).
const (
	ProductDataPack = "50795"
	ProductRoaming  = "50800"
)

// SubscriptionHasProduct reports whether generated subscription i has the
// add-on product id: ProductDataPack for every fourth, ProductRoaming for
// every fifth.
func SubscriptionHasProduct(i int, productID string) bool {
	switch productID {
	case ProductDataPack:
		return i%4 == 0
	case ProductRoaming:
		return i%5 == 0
	}
	return false
}

// SubscriptionAge is how long before now generated subscription i last
// changed: i%720 hours (up to 30 days).
func SubscriptionAge(i int) time.Duration { return time.Duration(i%720) * time.Hour }

// SubscriptionMSISDN is the number of generated subscription i.
func SubscriptionMSISDN(i int) string { return fmt.Sprintf("479%07d", i+1) }

type organizationJSON struct {
	OrgNumber string `json:"orgNumber"`
	Name      string `json:"name"`
}

// organizationAt is one of the three organizations of the system user.
func organizationAt(i int) organizationJSON {
	names := [...]string{"Fjordtest AS", "Fjordtest Drift AS", "Fjordtest Eiendom AS"}
	return organizationJSON{OrgNumber: fmt.Sprintf("9%08d", 14742315+i*1111), Name: names[i%len(names)]}
}

const organizationCount = 3

type subscriptionJSON struct {
	MSISDN         string   `json:"msisdn"`
	Type           string   `json:"type"`
	UserReference1 string   `json:"userReference1"`
	UserReference2 string   `json:"userReference2,omitempty"`
	AccountID      string   `json:"accountId"`
	ProductIDs     []string `json:"productIds"`
	Status         string   `json:"status"`
}

func (s *Server) subscriptionAt(i int) subscriptionJSON {
	sub := subscriptionJSON{
		MSISDN:         SubscriptionMSISDN(i),
		Type:           "VOICE",
		UserReference1: fmt.Sprintf("Ansatt %d", i+1),
		AccountID:      accountID(i % s.opts.company.accounts),
		ProductIDs:     []string{},
		Status:         "ACTIVE",
	}
	if i%5 == 4 {
		sub.Type = "DATA"
	}
	if i%3 == 0 {
		sub.UserReference2 = fmt.Sprintf("Prosjekt %d", i%17)
	}
	for _, p := range [...]string{ProductDataPack, ProductRoaming} {
		if SubscriptionHasProduct(i, p) {
			sub.ProductIDs = append(sub.ProductIDs, p)
		}
	}
	return sub
}
