package main

import (
	"cmp"
	"context"
	"iter"
	"log/slog"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// systemUser is what the commands use of the SDK's system-user session,
// whatever the SDK names its type.
type systemUser interface {
	Token(ctx context.Context) (*oauth2.Token, error)
	HTTPClient() *http.Client
	Organizations(ctx context.Context) ([]telenor.Organization, error)
	Accounts(ctx context.Context, opts telenor.AccountsOptions) iter.Seq2[telenor.Account, error]
	Agreements(ctx context.Context) ([]telenor.Agreement, error)
	MobileSubscriptions(ctx context.Context, opts telenor.SubscriptionsOptions) iter.Seq2[telenor.MobileSubscription, error]
}

// connection is a system user's session and where it talks to.
type connection struct {
	sys    systemUser
	client *telenor.Client
	// baseURL is the gateway (Config.BaseURL), without a trailing slash.
	baseURL string
	// passwordTokenURL is the password grant's endpoint before any
	// request: the SDK may fall back to another path after a 404, which
	// client.Endpoint() then reports.
	passwordTokenURL string
	clientID         string
	username         string
	// close stops the embedded fake gateway, if any.
	close func()
}

// connect builds the session the command runs with: the embedded fake
// gateway's with -fake, else the credentials from the environment.
func connect(ctx context.Context, inv *invocation) (*connection, error) {
	cfg := telenor.Config{Logger: logger(inv)}
	var creds credentials
	closeFake := func() {}
	if inv.opts.fake {
		srv := telenortest.NewServer()
		closeFake = srv.Close
		cfg.BaseURL, cfg.HTTPClient = srv.URL, srv.Client()
		creds = credentials{
			clientID: telenortest.DefaultClientID, clientSecret: telenortest.DefaultClientSecret,
			username: telenortest.DefaultUsername, password: telenortest.DefaultPassword,
		}
	} else {
		var err error
		if creds, err = readCredentials(ctx, inv); err != nil {
			return nil, err
		}
		cfg.BaseURL = strings.TrimSpace(inv.env.getenv(envBaseURL))
	}
	cfg.ClientID, cfg.ClientSecret = creds.clientID, creds.clientSecret
	cli, err := telenor.NewClient(cfg)
	if err != nil {
		closeFake()
		return nil, err
	}
	return &connection{
		sys:              cli.PasswordGrant(creds.username, creds.password),
		client:           cli,
		baseURL:          strings.TrimRight(cmp.Or(cfg.BaseURL, telenor.DefaultBaseURL), "/"),
		passwordTokenURL: cli.Endpoint().PasswordTokenURL,
		clientID:         creds.clientID,
		username:         creds.username,
		close:            closeFake,
	}, nil
}

// logger is the SDK's debug log on stderr with -v, else nothing. The SDK
// keeps secrets out of its records.
func logger(inv *invocation) *slog.Logger {
	if !inv.opts.verbose {
		return nil
	}
	return slog.New(slog.NewTextHandler(inv.env.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
