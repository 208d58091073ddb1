// Command linkauth is a small web app that logs users in with Telenor line
// authentication ("Log in with your mobile") and shows what the Mobile User
// API knows about them and their device. The handlers are in package
// webapp; this file only wires configuration, the listener and shutdown.
//
// Without credentials it runs against a fake Telenor gateway (package
// telenortest) with its interactive consent page, so the whole flow works
// in any local browser:
//
//	go run -C examples/linkauth .
//	# open http://127.0.0.1:8080/ and click "Log in with your mobile"
//
// Against the real gateway, on a phone with a Telenor SIM and mobile data:
//
//	TELENOR_CLIENT_ID=... TELENOR_CLIENT_SECRET=... LINKAUTH_STATE_KEY=$(openssl rand -hex 32) \
//	  go run -C examples/linkauth . -addr :8080 -callback-url https://your.host/callback
//
// Flags (environment variables in brackets):
//
//	-addr          listen address [LINKAUTH_ADDR] (default 127.0.0.1:8080)
//	-fake          use the fake gateway (default: when both credentials are unset)
//	-base-url      Telenor gateway [TELENOR_BASE_URL] (default https://api.telenor.no)
//	-callback-url  redirect_uri to send [TELENOR_REDIRECT_URL] (default: the
//	               callback registered in Telenor's dashboard)
//	-plain-http    session cookie without Secure, for a browser that reaches
//	               the app over plain http on another host than loopback
//	               (a phone on the LAN); never in production
//	-redis         Redis URL [LINKAUTH_REDIS_URL] shared by every instance:
//	               logged-in users (their tokens, encrypted) and used login
//	               states live there, so any instance serves any user and
//	               a logout at one is a logout at all (default: memory)
//
// Several instances behind a load balancer share logged-in users and the
// login replay guard through one Redis (and one LINKAUTH_STATE_KEY):
//
//	LINKAUTH_STATE_KEY=... LINKAUTH_REDIS_URL=redis://:password@redis:6379/0 go run -C examples/linkauth . ...
//
// linkauth is a module of its own (examples/linkauth/go.mod), so that
// its session library and Redis client never become dependencies of the
// SDK: run it from the repository's root with "go run -C examples/linkauth .".
//
// Credentials come only from the environment (TELENOR_CLIENT_ID,
// TELENOR_CLIENT_SECRET, and a Redis URL with a password in
// LINKAUTH_REDIS_URL), never from flags, which other users of the
// machine can see. LINKAUTH_STATE_KEY (at least 32 characters, secret, the
// same on every instance) signs the login-attempt cookie; without it a
// random key is used and logins in flight do not survive a restart. Stop
// the app with Ctrl-C: it finishes the requests in flight first.
//
// Like the other examples and Go's flag package, it exits 0 after -h (the
// usage, on stderr), 2 on a bad flag or argument, and 1 when it fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/telenor-go/telenor/examples/linkauth/webapp"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // -h: the usage was printed, as asked
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "linkauth:", err)
		os.Exit(2) // a bad flag or argument
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, cfg, os.Stderr, nil)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "linkauth:", err)
		os.Exit(1)
	}
}

// run serves the app configured by cfg until ctx ends. It logs to logOut
// and calls ready (if not nil) with the app's URL once it listens.
func run(ctx context.Context, cfg config, logOut io.Writer, ready func(appURL string)) error {
	log := slog.New(slog.NewTextHandler(logOut, nil))
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	appURL := "http://" + browsable(ln.Addr())
	cli, closeGateway, err := newClient(cfg, appURL, log)
	if err != nil {
		return err
	}
	defer closeGateway()
	wcfg := webapp.Config{Client: cli, StateKey: cfg.stateKey, Logger: log, PlainHTTP: cfg.plainHTTP}
	if cfg.redisURL != "" {
		closeRedis, err := useRedis(ctx, &wcfg, cfg.redisURL)
		if err != nil {
			return err
		}
		defer closeRedis()
		log.Info("linkauth: sessions and used login states are in Redis, shared by every instance")
	}
	h, err := webapp.New(wcfg)
	if err != nil {
		return err
	}
	log.Info("linkauth: listening; open this in a browser", "url", appURL+"/")
	if ready != nil {
		ready(appURL)
	}
	return serve(ctx, ln, h)
}

// serve serves h on ln until ctx ends, then shuts down gracefully: it
// stops accepting and waits (up to 10 s) for requests in flight.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shutCtx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// browsable returns addr as a browser can reach it: a wildcard listen
// address (":8080") becomes the loopback address.
func browsable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}
