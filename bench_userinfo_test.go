package telenor

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// BenchmarkUserInfo compares UserSession.UserInfo with the same request made
// the plain way, oauth2.NewClient plus encoding/json, against the same
// loopback server in the same run. Compare the two sub-benchmarks' ns/op
// and allocs/op.
func BenchmarkUserInfo(b *testing.B) {
	srv := telenortest.NewServer()
	cli := newTestClient(b, srv)
	token := srv.IssueUserToken()
	tok := &oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}

	b.Run("SDK", func(b *testing.B) {
		s := cli.RestoreUserSession(tok)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.UserInfo(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("oauth2+json", func(b *testing.B) {
		ctx := context.WithValue(b.Context(), oauth2.HTTPClient, srv.Client())
		hc := oauth2.NewClient(ctx, oauth2.StaticTokenSource(tok))
		b.ReportAllocs()
		for b.Loop() {
			if err := plainUserInfo(b.Context(), hc, srv.URL+telenortest.UserInfoPath); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// plainUserInfo is what an app would write without the SDK.
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
			GivenName, MiddleName, FamilyName string
		} `json:"name"`
		Address struct {
			StreetAddress, StreetNumber, Entrance, PostalCode, PostalLocation, Country, FormattedAddress string
		} `json:"address"`
		BirthDate    string `json:"birthDate"`
		EmailAddress string `json:"emailAddress"`
	}
	return json.NewDecoder(resp.Body).Decode(&u)
}
