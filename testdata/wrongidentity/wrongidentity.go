// Package wrongidentity must not compile: TestWrongIdentityDoesNotCompile
// builds it and expects exactly the errors marked "want".
package wrongidentity

import (
	"context"

	"github.com/telenor-go/telenor"
)

func wrong(ctx context.Context, cli *telenor.Client, sys *telenor.SystemSession, user *telenor.UserSession) {
	sys.UserInfo(ctx)                                             // want "sys.UserInfo undefined"
	sys.DeviceInfo(ctx)                                           // want "sys.DeviceInfo undefined"
	user.Organizations(ctx)                                       // want "user.Organizations undefined"
	user.Agreements(ctx)                                          // want "user.Agreements undefined"
	user.Accounts(ctx, telenor.AccountsOptions{})                 // want "user.Accounts undefined"
	user.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{}) // want "user.MobileSubscriptions undefined"
	_ = (*telenor.UserSession)(sys)                               // want "cannot convert sys"
	_ = (*telenor.SystemSession)(user)                            // want "cannot convert user"
	_ = telenor.UserSession(*sys)                                 // want "cannot convert \*sys"
	var _ *telenor.UserSession = cli.PasswordGrant("u", "p")      // want "cannot use cli.PasswordGrant"
}

// right is the control: the same calls on the right identity compile.
func right(ctx context.Context, cli *telenor.Client, sys *telenor.SystemSession, user *telenor.UserSession) {
	user.UserInfo(ctx)
	user.DeviceInfo(ctx)
	sys.Organizations(ctx)
	sys.Agreements(ctx)
	sys.Accounts(ctx, telenor.AccountsOptions{})
	sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{})
	for _, s := range []interface{ Logout(context.Context) error }{sys, user, cli.RestoreUserSession(nil)} {
		_ = s.Logout(ctx)
	}
}
