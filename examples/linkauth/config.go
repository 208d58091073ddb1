package main

import (
	"crypto/rand"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/url"
	"strconv"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// config is the app's configuration from flags and environment.
type config struct {
	addr, baseURL, callbackURL string
	fake, plainHTTP            bool
	clientID, clientSecret     string
	stateKey                   []byte
	redisURL                   string // sessions and used states in Redis; "" for memory
}

// parseConfig reads flags from args, with defaults from the environment;
// usage and flag errors go to usage.
func parseConfig(args []string, getenv func(string) string, usage io.Writer) (config, error) {
	c := config{clientID: getenv("TELENOR_CLIENT_ID"), clientSecret: getenv("TELENOR_CLIENT_SECRET")}
	fs := flag.NewFlagSet("linkauth", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&c.addr, "addr", orDefault(getenv("LINKAUTH_ADDR"), "127.0.0.1:8080"), "listen address")
	fs.BoolVar(&c.fake, "fake", c.clientID == "" && c.clientSecret == "", "use the in-process fake Telenor gateway")
	fs.StringVar(&c.baseURL, "base-url", getenv("TELENOR_BASE_URL"), "Telenor gateway URL (default https://api.telenor.no)")
	fs.StringVar(&c.callbackURL, "callback-url", getenv("TELENOR_REDIRECT_URL"), "redirect_uri to send (default: the registered callback)")
	fs.BoolVar(&c.plainHTTP, "plain-http", false, "session cookie without Secure, for browsers reaching the app over plain http on a non-loopback address (never in production)")
	fs.StringVar(&c.redisURL, "redis", "", "Redis URL (redis://host:6379/0) shared by every instance, for sessions and the login replay guard [LINKAUTH_REDIS_URL; a URL with a password only there] (default: this process's memory)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if err := c.redisFrom(getenv); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, errors.New("unexpected arguments: " + strconv.Quote(fs.Arg(0)) + "; run with -h for help")
	}
	c.stateKey = []byte(getenv("LINKAUTH_STATE_KEY"))
	if len(c.stateKey) == 0 {
		c.stateKey = []byte(rand.Text() + rand.Text()) // 256 random bits, this process only
	}
	return c, nil
}

// redisFrom completes the Redis URL from the environment and checks it
// against the rules: a password never on the command line, and a state
// key that every instance shares.
func (c *config) redisFrom(getenv func(string) string) error {
	if c.redisURL == "" {
		c.redisURL = getenv("LINKAUTH_REDIS_URL")
	} else if u, err := url.Parse(c.redisURL); err == nil && u.User != nil {
		return errors.New("-redis: put a Redis URL with user info in LINKAUTH_REDIS_URL, not on the command line, which other users of the machine can see")
	}
	if c.redisURL != "" && getenv("LINKAUTH_STATE_KEY") == "" {
		return errors.New("with Redis, set LINKAUTH_STATE_KEY: every instance must share it to read the others' sessions and state cookies")
	}
	return nil
}

// newClient returns the Telenor client the app uses, and a function that
// stops the fake gateway when there is one.
func newClient(c config, appURL string, log *slog.Logger) (*telenor.Client, func(), error) {
	if !c.fake && (c.clientID == "" || c.clientSecret == "") {
		return nil, nil, errors.New("set TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET, or run with -fake")
	}
	if !c.fake {
		cli, err := telenor.NewClient(telenor.Config{
			ClientID: c.clientID, ClientSecret: c.clientSecret,
			BaseURL: c.baseURL, RedirectURL: c.callbackURL, Logger: log,
		})
		return cli, func() {}, err
	}
	// The fake shows a Telenor-like consent page with Approve and Deny, and
	// redirects only to the registered callback: this app's.
	gw := telenortest.NewServer(
		telenortest.WithConsent(telenortest.ConsentPage),
		telenortest.WithRedirectURL(appURL+"/callback"),
	)
	log.Info("linkauth: no credentials: using the fake Telenor gateway", "url", gw.URL)
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL: gw.URL, HTTPClient: gw.Client(), Logger: log,
	})
	if err != nil {
		gw.Close()
		return nil, nil, err
	}
	return cli, gw.Close, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
