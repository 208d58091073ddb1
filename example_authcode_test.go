package telenor_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

func ExampleClient_AuthCodeURL() {
	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     "my-client-id",
		ClientSecret: "my-client-secret",
		RedirectURL:  "https://app.example/callback", // optional: Telenor knows the registered one
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	state := telenor.NewState() // keep it for this browser, e.g. with StateCookie
	u, err := url.Parse(cli.AuthCodeURL(state))
	if err != nil {
		fmt.Println(err)
		return
	}
	q := u.Query()
	fmt.Println(u.Scheme + "://" + u.Host + u.Path)
	fmt.Println(q.Get("client_id"), q.Get("response_type"), q.Get("redirect_uri"))
	fmt.Println("state sent:", q.Get("state") == state)
	// Output:
	// https://api.telenor.no/oauth/v2/authorize
	// my-client-id code https://app.example/callback
	// state sent: true
}

// The fake gateway approves at once here; a web app gets the callback
// request in its /callback handler instead (see StateCookie).
func ExampleClient_HandleCallback() {
	srv := telenortest.NewServer(
		telenortest.WithConsent(telenortest.ConsentAutoApprove),
		telenortest.WithRedirectURL("https://app.example/callback"),
	)
	defer srv.Close()
	cli := newFakeClient(srv)

	state := telenor.NewState()
	callback := browseToCallback(srv, cli.AuthCodeURL(state))

	user, err := cli.HandleCallback(context.Background(), callback, state)
	if err != nil {
		fmt.Println(err)
		return
	}
	info, err := user.UserInfo(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("logged in:", info.MobileNumber)
	// Output:
	// logged in: 4790012345
}

// A user who presses Deny brings the app an *AuthError matching
// ErrAccessDenied, with Telenor's words for it.
func ExampleClient_HandleCallback_denied() {
	srv := telenortest.NewServer(
		telenortest.WithConsent(telenortest.ConsentAutoDeny),
		telenortest.WithRedirectURL("https://app.example/callback"),
	)
	defer srv.Close()
	cli := newFakeClient(srv)

	state := telenor.NewState()
	callback := browseToCallback(srv, cli.AuthCodeURL(state))

	_, err := cli.HandleCallback(context.Background(), callback, state)
	var ae *telenor.AuthError
	if errors.Is(err, telenor.ErrAccessDenied) && errors.As(err, &ae) {
		fmt.Println("cancelled:", ae.Description)
	}

	// A callback with another state is refused before anything is exchanged.
	_, err = cli.HandleCallback(context.Background(), callback, telenor.NewState())
	fmt.Println(errors.Is(err, telenor.ErrStateMismatch), srv.TokenRequests())
	// Output:
	// cancelled: The resource owner denied the request
	// true 0
}

// browseToCallback plays the browser: it opens authURL, follows the fake
// gateway's redirects and returns the request the app's callback would get.
func browseToCallback(srv *telenortest.Server, authURL string) *http.Request {
	var callback *url.URL
	browser := &http.Client{
		Transport: srv.Client().Transport,
		CheckRedirect: func(r *http.Request, _ []*http.Request) error {
			callback = r.URL // the app's /callback: stop here
			return http.ErrUseLastResponse
		},
	}
	resp, err := browser.Get(authURL)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	return httptest.NewRequest(http.MethodGet, callback.String(), nil)
}

// PKCE is off by default (Telenor documents none); the fake enforces it
// once a challenge is sent. Keep the verifier server-side with the state.
func ExampleWithPKCE() {
	srv := telenortest.NewServer(
		telenortest.WithConsent(telenortest.ConsentAutoApprove),
		telenortest.WithRedirectURL("https://app.example/callback"),
	)
	defer srv.Close()
	cli := newFakeClient(srv)

	state, verifier := telenor.NewState(), oauth2.GenerateVerifier()
	callback := browseToCallback(srv, cli.AuthCodeURL(state, telenor.WithPKCE(verifier)))

	_, err := cli.HandleCallback(context.Background(), callback, state, telenor.WithPKCE(verifier))
	fmt.Println("with the verifier:", err)
	// Output:
	// with the verifier: <nil>
}
