package telenor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

func ExampleUserSession_UserInfo() {
	srv := telenortest.NewServer()
	defer srv.Close()
	cli := newFakeClient(srv)

	// In an app the token comes from HandleCallback (or the app's session
	// store); the fake issues one as if the subscriber had consented.
	user := cli.RestoreUserSession(&oauth2.Token{AccessToken: srv.IssueUserToken()})

	info, err := user.UserInfo(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Name.GivenName, info.Name.FamilyName)
	fmt.Println(info.MobileNumber)
	fmt.Println(info.Address.PostalCode, info.Address.PostalLocation)
	// Output:
	// Kari Nordmann
	// 4790012345
	// 1360 Fornebu
}

func ExampleUserSession_DeviceInfo() {
	sub := telenortest.DefaultSubscriber()
	sub.Device.Capabilities = map[string]bool{"lte": true, "volte": true} // hdVoice not said
	srv := telenortest.NewServer(telenortest.WithSubscriber(sub))
	defer srv.Close()
	cli := newFakeClient(srv)
	user := cli.RestoreUserSession(&oauth2.Token{AccessToken: srv.IssueUserToken()})

	dev, err := user.DeviceInfo(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dev.Manufacturer, dev.Model)
	// The modelled capabilities (nil: unknown, not absent), then the
	// others the gateway sent.
	for _, c := range dev.Capabilities.All() {
		fmt.Println(c.Label+":", yesNo(c.Supported))
	}
	// Output:
	// Apple iPhone 15
	// HD Voice: unknown
	// 4G (LTE): true
	// 4G+ (LTE Advanced): unknown
	// volte: true
}

// Members the SDK does not model are kept as sent: Unknown decodes them
// when asked.
func ExampleUserInfo_Unknown() {
	var info telenor.UserInfo
	body := `{"mobileNumber":"4790012345","customerType":"PRIVATE","address":{"streetAddress":"Storgata","municipality":"Oslo"}}`
	if err := json.Unmarshal([]byte(body), &info); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.MobileNumber, info.Address.StreetAddress)
	fmt.Println(string(info.Unknown()["customerType"]), string(info.Address.Unknown()["municipality"]))
	// Output:
	// 4790012345 Storgata
	// "PRIVATE" "Oslo"
}

// yesNo shows an optional capability.
func yesNo(b *bool) string {
	if b == nil {
		return "unknown"
	}
	return fmt.Sprint(*b)
}

// After Logout, or once the user's token expires or is revoked, a user
// Session answers ErrReauthenticate: send the user through AuthCodeURL
// again.
func ExampleUserSession_Logout() {
	srv := telenortest.NewServer()
	defer srv.Close()
	cli := newFakeClient(srv)
	user := cli.RestoreUserSession(&oauth2.Token{AccessToken: srv.IssueUserToken()})

	if err := user.Logout(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	_, err := user.UserInfo(context.Background())
	fmt.Println(errors.Is(err, telenor.ErrReauthenticate))
	// Output:
	// true
}

// An API's refusal is an *APIError with the HTTP status and Telenor's
// gateway code. Here the app's quota is used up: a 429 that the SDK does
// not retry (spike arrest, CodeSpikeArrest, it does).
func ExampleAPIError() {
	srv := telenortest.NewServer()
	defer srv.Close()
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 429, Code: telenor.CodeQuotaExceeded})
	cli := newFakeClient(srv)
	user := cli.RestoreUserSession(&oauth2.Token{AccessToken: srv.IssueUserToken()})

	_, err := user.UserInfo(context.Background())
	var apiErr *telenor.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code == telenor.CodeQuotaExceeded)
	}
	fmt.Println(errors.Is(err, telenor.ErrReauthenticate), errors.Is(err, telenor.ErrRateLimited))
	// Output:
	// 429 true
	// false true
}
