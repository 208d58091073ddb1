package telenor_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// newFakeClient returns a Client for a fake gateway from telenortest. In
// production, leave BaseURL and HTTPClient unset.
func newFakeClient(srv *telenortest.Server) *telenor.Client {
	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      srv.URL,
		HTTPClient:   srv.Client(),
	})
	if err != nil {
		panic(err)
	}
	return cli
}

func ExampleNewClient() {
	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     "my-client-id",
		ClientSecret: "my-client-secret",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cli.Endpoint().PasswordTokenURL)
	fmt.Println(cli) // the secret is redacted whatever the verb

	_, err = telenor.NewClient(telenor.Config{ClientID: "id", ClientSecret: "s", BaseURL: "http://api.telenor.no"})
	fmt.Println(errors.Is(err, telenor.ErrInvalidConfig))
	// Output:
	// https://api.telenor.no/oauth/token
	// telenor.Client{ClientID: "my-client-id", ClientSecret: [REDACTED], BaseURL: "https://api.telenor.no"}
	// true
}

func ExampleClient_PasswordGrant() {
	srv := telenortest.NewServer()
	defer srv.Close()
	cli := newFakeClient(srv)

	// One Session per system user, shared by every goroutine.
	sys := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if _, err := sys.Token(context.Background()); err != nil {
				fmt.Println(err)
			}
		})
	}
	wg.Wait()
	fmt.Println("token requests:", srv.TokenRequests())
	// Output:
	// token requests: 1
}

// A wrong system-user password and wrong app credentials are told apart
// with errors.Is; errors.As gives the details of the token endpoint's
// answer.
func ExampleAuthError() {
	srv := telenortest.NewServer()
	defer srv.Close()
	cli := newFakeClient(srv)

	_, err := cli.PasswordGrant(telenortest.DefaultUsername, "wrong").Token(context.Background())
	switch {
	case errors.Is(err, telenor.ErrInvalidGrant):
		fmt.Println("check the system user's password in Min Bedrift")
	case errors.Is(err, telenor.ErrInvalidClient):
		fmt.Println("check the app's client id and secret")
	}
	var ae *telenor.AuthError
	if errors.As(err, &ae) {
		fmt.Println(ae.StatusCode, ae.Code)
	}
	// Output:
	// check the system user's password in Min Bedrift
	// 400 invalid_grant
}
