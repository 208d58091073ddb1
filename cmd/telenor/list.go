package main

import (
	"context"
	"flag"
	"fmt"
	"iter"
	"strings"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// list describes a list command: what it fetches and its columns.
type list[T any] struct {
	name, summary, help string
	noun                string // plural, for progress and messages
	flags               func(fs *flag.FlagSet, o *options)
	// validate checks the flags before any credential is asked for.
	validate func(o *options) error
	items    func(ctx context.Context, sys systemUser, o *options) iter.Seq2[T, error]
	cols     []column[T]
}

const formatHelp = `It prints a table by default. -format csv, json or ndjson streams the
items as they arrive, for files and pipes; json and ndjson keep every member
the gateway sent. On a terminal, progress (items, rate, elapsed) goes to
standard error while standard output is a file or pipe. Ctrl-C stops between
two items: the output so far is whole rows, and the exit status is 130.`

// listCommand makes the command that exports l's items.
func listCommand[T any](l list[T]) *command {
	return &command{
		name: l.name, summary: l.summary, help: l.help + "\n\n" + formatHelp,
		flags: func(fs *flag.FlagSet, o *options) {
			fs.Var(&o.format, "format", "output `format`: table, csv, json or ndjson")
			if l.flags != nil {
				l.flags(fs, o)
			}
		},
		run: func(ctx context.Context, inv *invocation) error { return runList(ctx, inv, l) },
	}
}

func runList[T any](ctx context.Context, inv *invocation, l list[T]) error {
	if err := noArgs(inv); err != nil {
		return err
	}
	if l.validate != nil {
		if err := l.validate(&inv.opts); err != nil {
			return err
		}
	}
	conn, err := connect(ctx, inv)
	if err != nil {
		return err
	}
	defer conn.close()
	env := inv.env
	// When standard output is the terminal, the rows themselves show
	// progress, and a progress line would be drawn over them.
	p := startProgress(env.stderr, env.stderrTTY && !env.stdoutTTY, l.noun)
	n, err := export(ctx, l.items(ctx, conn.sys, &inv.opts), l.cols, inv.opts.format.f, env.stdout, p)
	p.finish()
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return &failure{code: exitInterrupted, err: err,
			msg: fmt.Sprintf("interrupted after %s %s; the output so far is whole rows", thousands(int64(n)), l.noun)}
	case n > 0:
		code, msg := classify(err)
		return &failure{code: code, err: err, msg: fmt.Sprintf("%s (stopped after %s %s)", msg, thousands(int64(n)), l.noun)}
	}
	return err
}

// listed adapts a call that returns a whole slice to an iterator.
func listed[T any](items []T, err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}

func orgsList() list[telenor.Organization] {
	return list[telenor.Organization]{
		name: "orgs", summary: "list the organizations the system user may see", noun: "organizations",
		help: "orgs lists the organizations (companies) the system user may see:\nGET " + telenortest.OrganizationsPath + ".",
		items: func(ctx context.Context, sys systemUser, _ *options) iter.Seq2[telenor.Organization, error] {
			return listed(sys.Organizations(ctx))
		},
		cols: []column[telenor.Organization]{
			{"orgNumber", "ORG NUMBER", func(o *telenor.Organization) string { return o.OrgNumber }},
			{"name", "NAME", func(o *telenor.Organization) string { return o.Name }},
		},
	}
}

func accountsList() list[telenor.Account] {
	return list[telenor.Account]{
		name: "accounts", summary: "list the corporate (invoice) accounts", noun: "accounts",
		help: "accounts lists the corporate (invoice) accounts, page by page:\nGET " + telenortest.AccountsPath + ".",
		items: func(ctx context.Context, sys systemUser, _ *options) iter.Seq2[telenor.Account, error] {
			return sys.Accounts(ctx, telenor.AccountsOptions{PageSize: telenor.MaxPageSize})
		},
		cols: []column[telenor.Account]{
			{"id", "ID", func(a *telenor.Account) string { return a.ID }},
			{"accountReference1", "REFERENCE", func(a *telenor.Account) string { return a.AccountReference1 }},
			{"ownerOrgNumber", "OWNER ORG NUMBER", func(a *telenor.Account) string { return a.Owner.OrgNumber }},
			{"ownerName", "OWNER", func(a *telenor.Account) string { return a.Owner.Name }},
			{"status", "STATUS", func(a *telenor.Account) string { return a.Status }},
		},
	}
}

func agreementsList() list[telenor.Agreement] {
	return list[telenor.Agreement]{
		name: "agreements", summary: "list the corporate agreements", noun: "agreements",
		help: "agreements lists the corporate agreements:\nGET " + telenortest.AgreementsPath + ".",
		items: func(ctx context.Context, sys systemUser, _ *options) iter.Seq2[telenor.Agreement, error] {
			return listed(sys.Agreements(ctx))
		},
		cols: []column[telenor.Agreement]{
			{"id", "ID", func(a *telenor.Agreement) string { return a.ID }},
			{"category", "CATEGORY", func(a *telenor.Agreement) string { return a.Category }},
			{"validFrom", "VALID FROM", func(a *telenor.Agreement) string { return a.ValidFrom }},
			{"validTo", "VALID TO", func(a *telenor.Agreement) string { return a.ValidTo }},
			{"ownerOrgNumber", "OWNER ORG NUMBER", func(a *telenor.Agreement) string { return a.Owner.OrgNumber }},
			{"ownerName", "OWNER", func(a *telenor.Agreement) string { return a.Owner.Name }},
			{"status", "STATUS", func(a *telenor.Agreement) string { return a.Status }},
		},
	}
}

func subscriptionsList() list[telenor.MobileSubscription] {
	return list[telenor.MobileSubscription]{
		name: "subscriptions", summary: "list the mobile subscriptions [-product-id ID | -since AGE]",
		noun: "subscriptions",
		help: "subscriptions lists the company's mobile subscriptions, page by page:\nGET " +
			telenortest.MobileSubscriptionsPath + ".\n-product-id keeps those with an add-on product; " +
			"-since those changed recently\n(the API takes one of the two).",
		flags: func(fs *flag.FlagSet, o *options) {
			fs.StringVar(&o.productID, "product-id", "", "keep subscriptions with this add-on product `id` (digits)")
			fs.Var(&o.since, "since", "keep subscriptions changed within this `age`: 36h, 90m or 7d")
		},
		validate: func(o *options) error {
			switch {
			case o.productID != "" && o.since.d != 0:
				return usageErrorf("subscriptions: -product-id and -since cannot be used together (the API takes one)")
			case o.productID != "" && strings.Trim(o.productID, "0123456789") != "":
				return usageErrorf("subscriptions: -product-id %q: want digits, such as 50795", o.productID)
			}
			return nil
		},
		items: func(ctx context.Context, sys systemUser, o *options) iter.Seq2[telenor.MobileSubscription, error] {
			return sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{
				ProductID: o.productID, Since: o.since.d, PageSize: telenor.MaxPageSize,
			})
		},
		cols: []column[telenor.MobileSubscription]{
			{"msisdn", "MSISDN", func(m *telenor.MobileSubscription) string { return m.MSISDN }},
			{"type", "TYPE", func(m *telenor.MobileSubscription) string { return m.Type }},
			{"userReference1", "USER REFERENCE 1", func(m *telenor.MobileSubscription) string { return m.UserReference1 }},
			{"userReference2", "USER REFERENCE 2", func(m *telenor.MobileSubscription) string { return m.UserReference2 }},
		},
	}
}
