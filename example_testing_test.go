package telenor_test

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// greet is the app's own code under test: it greets the logged-in user.
func greet(ctx context.Context, user *telenor.UserSession) (string, error) {
	info, err := user.UserInfo(ctx)
	if errors.Is(err, telenor.ErrReauthenticate) {
		return "Please log in again", nil
	}
	if err != nil {
		return "", err
	}
	return "Hello, " + info.Name.GivenName, nil
}

// Test your own code against the fake gateway, in a Test function like
// this one, without a Telenor account or a network. IssueUserToken stands
// for a completed line authentication; Fail makes the gateway misbehave.
func Example_testingWithTelenortest() {
	srv := telenortest.NewServer() // in a test: t.Cleanup(srv.Close)
	defer srv.Close()
	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      srv.URL,
		HTTPClient:   srv.Client(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	user := cli.RestoreUserSession(&oauth2.Token{AccessToken: srv.IssueUserToken()})
	ctx := context.Background()

	fmt.Println(greet(ctx, user))

	// The gateway says the token has expired.
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 401, Code: 40106}) // 40106: token expired
	fmt.Println(greet(ctx, user))
	fmt.Println("user-info requests:", srv.Requests(telenortest.UserInfoPath))
	// Output:
	// Hello, Kari <nil>
	// Please log in again <nil>
	// user-info requests: 2
}
