package main

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/redis/go-redis/v9"

	"github.com/telenor-go/telenor/examples/linkauth/webapp"
	"github.com/telenor-go/telenor/redisstore"
)

// useRedis keeps the app's sessions and its used login states in the
// Redis at rawURL, which every instance shares: any instance then serves
// any user, a logout at one is a logout at all, and a login's state is
// single-use across all. It returns the function that closes the client.
func useRedis(ctx context.Context, cfg *webapp.Config, rawURL string) (closeRedis func() error, err error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		// Not wrapped: url.Parse's errors quote the URL, password included.
		return nil, errors.New("the Redis URL is not a valid redis:// or rediss:// URL")
	}
	rdb := redis.NewClient(opts)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pingCtx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("cannot reach Redis at %s: %w", redactedHost(rawURL), err)
	}
	// Both keys derive from the state key, which every instance shares.
	key, err := hkdf.Key(sha256.New, cfg.StateKey, nil, "linkauth redisstore", redisstore.KeySize)
	if err != nil {
		rdb.Close()
		return nil, err
	}
	store, err := redisstore.New(rdb, redisstore.Options{Keys: [][]byte{key}, Prefix: "linkauth:"})
	if err != nil {
		rdb.Close()
		return nil, err
	}
	cfg.SessionStore = goredisstore.NewWithPrefix(rdb, "linkauth:session:")
	cfg.ReplayGuard = store
	return rdb.Close, nil
}

// redactedHost is the host of a Redis URL, for messages: never its
// user info.
func redactedHost(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Host
}
