package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// callers is how many goroutines ask one fresh Session for a token at once.
const callers = 1000

// runFake shows every step against a fake gateway started in-process.
func runFake(ctx context.Context, out io.Writer) error {
	fmt.Fprintln(out, "No TELENOR_CLIENT_ID/TELENOR_CLIENT_SECRET: starting the in-process fake Telenor gateway (telenortest).")
	// The web app's address must be known before the fake starts: the fake
	// redirects only to the registered callback, as Telenor does.
	app := httptest.NewUnstartedServer(nil)
	defer app.Close()
	srv := telenortest.NewServer(
		telenortest.WithConsent(telenortest.ConsentAutoApprove),
		telenortest.WithRedirectURL("http://"+app.Listener.Addr().String()+"/callback"),
	)
	defer srv.Close()
	cli, err := telenor.NewClient(telenor.Config{
		ClientID:     telenortest.DefaultClientID,
		ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:      srv.URL,      // in production: leave empty for https://api.telenor.no
		HTTPClient:   srv.Client(), // in production: leave nil or bring your own
	})
	if err != nil {
		return err
	}
	if err := showPasswordGrant(ctx, out, cli); err != nil {
		return err
	}
	user, err := logIn(ctx, cli, app)
	if err != nil {
		return fmt.Errorf("line authentication: %w", err)
	}
	if err := showUser(ctx, out, user); err != nil {
		return err
	}
	if err := showSingleFlight(ctx, out, cli, srv); err != nil {
		return err
	}
	return showLogout(ctx, out, user)
}

// showPasswordGrant gets a system user's token and says until when it is
// valid. The token itself is never printed.
func showPasswordGrant(ctx context.Context, out io.Writer, cli *telenor.Client) error {
	tok, err := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword).Token(ctx)
	if err != nil {
		return fmt.Errorf("password grant: %w", err)
	}
	fmt.Fprintf(out, "\n1. Password grant: system user %s has a token, valid until %s\n",
		telenortest.DefaultUsername, tok.Expiry.Format(time.RFC3339))
	return nil
}

// showSingleFlight lets many goroutines ask a fresh Session for a token at
// once and reports how many token requests reached the gateway.
func showSingleFlight(ctx context.Context, out io.Writer, cli *telenor.Client, srv *telenortest.Server) error {
	sys := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
	before := srv.TokenRequests()
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { _, errs[i] = sys.Token(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("concurrent callers: %w", err)
	}
	n := srv.TokenRequests() - before
	fmt.Fprintf(out, "\n4. Token cache: %d concurrent callers on a fresh Session made %d token %s\n",
		callers, n, plural(n, "request", "requests"))
	return nil
}

// showLogout logs the user out and shows what their Session answers next.
func showLogout(ctx context.Context, out io.Writer, user *telenor.UserSession) error {
	if err := user.Logout(ctx); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	_, err := user.UserInfo(ctx)
	if !errors.Is(err, telenor.ErrReauthenticate) {
		return fmt.Errorf("after logout, UserInfo returned %v; want ErrReauthenticate", err)
	}
	fmt.Fprintln(out, "\n5. Logout: done. The user's Session now answers ErrReauthenticate:")
	fmt.Fprintln(out, "   the app sends the user through line authentication again.")
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
