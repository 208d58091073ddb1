package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// stats counts what the workers did; safe for concurrent use.
type stats struct {
	calls, subscriptions, failures atomic.Int64
}

// work gets the first token (bad credentials end the program with a clear
// error), runs c.workers workers on one Session and logs a summary. srv
// is the in-process fake, or nil.
func work(ctx context.Context, c config, log *slog.Logger, srv *telenortest.Server) error {
	cli, err := telenor.NewClient(telenor.Config{
		ClientID: c.clientID, ClientSecret: c.clientSecret, BaseURL: c.baseURL, Logger: log,
	})
	if err != nil {
		return err
	}
	sys := cli.PasswordGrant(c.username, c.password) // one session for every worker
	if _, err := sys.Token(ctx); err != nil {
		return fmt.Errorf("password grant: %w", err)
	}
	log.Info("started", "workers", c.workers, "iterations", c.iterations, "page_size", c.pageSize)
	var st stats
	var wg sync.WaitGroup
	for id := range c.workers {
		wg.Go(func() { worker(ctx, id, c, sys, log, &st) })
	}
	wg.Wait()
	summary(ctx, log, &st, srv)
	return nil
}

// worker does c.iterations rounds (or rounds until ctx ends), pausing
// c.interval between them. A failed round is logged and counted.
func worker(ctx context.Context, id int, c config, sys *telenor.SystemSession, log *slog.Logger, st *stats) {
	log = log.With("worker", id)
	for i := 0; c.iterations == 0 || i < c.iterations; i++ {
		// Pause between rounds, not after the last: the summary comes at once.
		if ctx.Err() != nil || i > 0 && !sleep(ctx, c.interval) {
			return
		}
		orgs, subs, err := round(ctx, c, sys, st)
		switch {
		case ctx.Err() != nil && errors.Is(err, ctx.Err()):
			return // shutting down: not a failure
		case err != nil:
			st.failures.Add(1)
			log.Error("round failed", "round", i, "err", err)
		default:
			log.Info("round done", "round", i, "organizations", orgs, "subscriptions", subs)
		}
	}
}

// round lists the organizations and pages through every subscription:
// two SDK calls.
func round(ctx context.Context, c config, sys *telenor.SystemSession, st *stats) (orgs, subs int, err error) {
	st.calls.Add(1)
	list, err := sys.Organizations(ctx)
	if err != nil {
		return 0, 0, err
	}
	st.calls.Add(1)
	for _, err := range sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{PageSize: c.pageSize}) {
		if err != nil {
			return len(list), subs, err
		}
		subs++
	}
	st.subscriptions.Add(int64(subs))
	return len(list), subs, nil
}

// sleep waits d unless ctx ends first, and reports whether to go on.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// summary logs what the workers did; with the fake also what reached it.
func summary(ctx context.Context, log *slog.Logger, st *stats, srv *telenortest.Server) {
	reason := "iterations done"
	if ctx.Err() != nil {
		reason = "shutdown signal"
	}
	attrs := []any{"reason", reason, "calls", st.calls.Load(),
		"subscriptions", st.subscriptions.Load(), "failures", st.failures.Load()}
	if srv != nil {
		attrs = append(attrs, "token_requests", srv.TokenRequests(),
			"api_requests", srv.Requests(telenortest.OrganizationsPath)+srv.Requests(telenortest.MobileSubscriptionsPath))
	}
	log.Info("stopped", attrs...)
}
