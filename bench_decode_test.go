package telenor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// The benchmarks in this file put the SDK's decoding next to what an app
// would write with net/http and encoding/json alone, against the same
// loopback server in the same run (docs/benchmarks.md, "Decoding").

// BenchmarkListSubscriptions lists 100,000 subscriptions in pages of
// MaxPageSize per op: impl=SDK through MobileSubscriptions, impl=plain
// through a hand-written loop decoding each page into tagged structs.
func BenchmarkListSubscriptions(b *testing.B) {
	const total = 100_000
	srv := telenortest.NewServer(telenortest.WithCompanyData(100, total))
	sys := systemSession(newTestClient(b, srv))
	tok, err := sys.Token(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("impl=SDK", func(b *testing.B) {
		benchItems(b, total, func() (int, error) {
			n := 0
			for _, err := range sys.MobileSubscriptions(b.Context(), SubscriptionsOptions{PageSize: MaxPageSize}) {
				if err != nil {
					return n, err
				}
				n++
			}
			return n, nil
		})
	})
	b.Run("impl=plain", func(b *testing.B) {
		hc := srv.Client()
		url := srv.URL + telenortest.MobileSubscriptionsPath
		benchItems(b, total, func() (int, error) { return plainSubscriptions(b.Context(), hc, url, tok.AccessToken) })
	})
}

// benchItems runs list once per op and checks it saw total items.
func benchItems(b *testing.B, total int, list func() (int, error)) {
	b.ReportAllocs()
	for b.Loop() {
		n, err := list()
		if err != nil {
			b.Fatal(err)
		}
		if n != total {
			b.Fatalf("got %d items, want %d", n, total)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*total), "ns/item")
}

// plainSubscription is what an app would decode a subscription into.
type plainSubscription struct {
	MSISDN         string `json:"msisdn"`
	Type           string `json:"type"`
	UserReference1 string `json:"userReference1"`
	UserReference2 string `json:"userReference2"`
}

// plainSubscriptions is the loop an app would write without the SDK: one
// GET per page of 1000, each page decoded with a json.Decoder.
func plainSubscriptions(ctx context.Context, hc *http.Client, url, token string) (int, error) {
	n := 0
	for page := 0; ; page++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet,
			url+"?pageSize=1000&page="+strconv.Itoa(page), nil)
		if err != nil {
			return n, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			return n, err
		}
		var items []plainSubscription
		err = json.NewDecoder(resp.Body).Decode(&items)
		resp.Body.Close()
		if err != nil {
			return n, err
		}
		for _, it := range items {
			if it.MSISDN == "" {
				return n, fmt.Errorf("item %d has no msisdn", n)
			}
			n++
		}
		if len(items) < 1000 {
			return n, nil
		}
	}
}

// BenchmarkUserInfoLarge compares Session.UserInfo with oauth2.NewClient
// plus a json.Decoder into a tagged struct, on a 20 KB user-info body
// with 169 members the SDK does not model.
func BenchmarkUserInfoLarge(b *testing.B) {
	body := largeUserInfo(169)
	ws := newWireServer(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	b.Run("impl=SDK", func(b *testing.B) {
		s := ws.user(b)
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.UserInfo(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=plain", func(b *testing.B) {
		ctx := context.WithValue(b.Context(), oauth2.HTTPClient, ws.Client())
		tok := &oauth2.Token{AccessToken: "user-token", Expiry: time.Now().Add(time.Hour)}
		hc := oauth2.NewClient(ctx, oauth2.StaticTokenSource(tok))
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if err := plainUserInfo(b.Context(), hc, ws.URL+telenortest.UserInfoPath); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// plainUserInfo is what an app would write without the SDK: the user info
// decoded into a tagged struct with a json.Decoder.
func plainUserInfo(ctx context.Context, hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var u struct {
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
		BirthDate    string `json:"birthDate"`
		EmailAddress string `json:"emailAddress"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&u); err != nil {
		return err
	}
	if u.MobileNumber == "" {
		return fmt.Errorf("no mobile number")
	}
	return nil
}

// largeUserInfo is a user-info body of about 20 KB: the documented members
// and n more of mixed kinds (strings, numbers, objects, arrays).
func largeUserInfo(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"mobileNumber":"4790012345","name":{"givenName":"Kari","familyName":"Nordmann"},` +
		`"address":{"streetAddress":"Snarøyveien","streetNumber":"30","postalCode":"1360","postalLocation":"Fornebu",` +
		`"country":"NO","formattedAddress":"Snarøyveien 30, 1360 Fornebu"},"birthDate":"1985-04-17",` +
		`"emailAddress":"kari.nordmann@example.no"`)
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sb, `,"note%03d":"%s"`, i, strings.Repeat("tekst ", 48))
		case 1:
			fmt.Fprintf(&sb, `,"count%03d":%d`, i, i*7919)
		case 2:
			fmt.Fprintf(&sb, `,"item%03d":{"id":"%08d","label":"Element nummer %d","active":true,"weight":%d.5}`, i, i, i, i)
		default:
			fmt.Fprintf(&sb, `,"list%03d":["alfa","beta","gamma","delta",%d,%d,{"k":"v%d"}]`, i, i, i+1, i)
		}
	}
	sb.WriteString("}")
	return []byte(sb.String())
}

func TestLargeUserInfoShape(t *testing.T) {
	body := largeUserInfo(169)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if len(m) != 5+169 || len(body) < 19_000 || len(body) > 21_000 {
		t.Fatalf("%d members, %d bytes; want 174 and about 20 KB", len(m), len(body))
	}
}
