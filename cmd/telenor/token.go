package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"
)

func tokenCommand() *command {
	return &command{
		name: "token", summary: "print a fresh access token, for scripts [-json]",
		help: `token prints a fresh access token of the system user on standard output,
for scripts:

  curl -H "Authorization: Bearer $(telenor token)" https://api.telenor.no/...

With -json it prints access_token, token_type, expires_in (seconds) and expiry.
The token is a secret: it goes to standard output only, never to a log.`,
		flags: func(fs *flag.FlagSet, o *options) {
			fs.BoolVar(&o.json, "json", false, "print the token with its type and expiry as JSON")
		},
		run: runToken,
	}
}

func runToken(ctx context.Context, inv *invocation) error {
	if err := noArgs(inv); err != nil {
		return err
	}
	conn, err := connect(ctx, inv)
	if err != nil {
		return err
	}
	defer conn.close()
	tok, err := conn.sys.Token(ctx)
	if err != nil {
		return err
	}
	if !inv.opts.json {
		_, err = fmt.Fprintln(inv.env.stdout, tok.AccessToken)
		return err
	}
	enc := json.NewEncoder(inv.env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		AccessToken string    `json:"access_token"`
		TokenType   string    `json:"token_type"`
		ExpiresIn   int64     `json:"expires_in"`
		Expiry      time.Time `json:"expiry"`
	}{tok.AccessToken, tok.Type(), tok.ExpiresIn, tok.Expiry.UTC().Truncate(time.Second)})
}
