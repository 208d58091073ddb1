package telenortest_test

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

func ExampleNewServer() {
	srv := telenortest.NewServer()
	defer srv.Close()

	conf := &oauth2.Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		Endpoint: oauth2.Endpoint{
			TokenURL:  srv.URL + telenortest.PasswordTokenPath,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	tok, err := conf.PasswordCredentialsToken(ctx, telenortest.DefaultUsername, telenortest.DefaultPassword)
	if err != nil {
		fmt.Println(err)
		return
	}
	info, _ := srv.LookupToken(tok.AccessToken)
	fmt.Println(len(tok.AccessToken), info.Subject, srv.TokenRequests())
	// Output: 40 API1000XYZ 1
}

func ExampleServer_Fail() {
	srv := telenortest.NewServer()
	defer srv.Close()

	// The next two token requests are rate limited, as the gateway does.
	srv.Fail(telenortest.PasswordTokenPath, 2, telenortest.Fault{
		Status:     429,
		Code:       42902,
		Message:    "Too many requests",
		RetryAfter: "1",
	})
	conf := &oauth2.Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		Endpoint: oauth2.Endpoint{
			TokenURL:  srv.URL + telenortest.PasswordTokenPath,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	for range 3 {
		_, err := conf.PasswordCredentialsToken(ctx, telenortest.DefaultUsername, telenortest.DefaultPassword)
		if re, ok := err.(*oauth2.RetrieveError); ok {
			fmt.Println(re.Response.StatusCode, re.Response.Header.Get("Retry-After"))
		} else {
			fmt.Println("ok", err)
		}
	}
	// Output:
	// 429 1
	// 429 1
	// ok <nil>
}
