// Package redisstore lets the replicas of a fleet act as one Telenor OAuth
// client, on Redis: it implements telenor.TokenStore, so that the fleet
// makes one token request per token lifetime for each system user instead
// of one per replica, and telenor.ReplayGuard, so that a login's state is
// single-use across every instance of a web app.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"}) // or any redis.UniversalClient
//	store, err := redisstore.New(rdb, redisstore.Options{Keys: [][]byte{key}})
//	cli, err := telenor.NewClient(telenor.Config{ClientID: id, ClientSecret: secret, TokenStore: store})
//	sc.ReplayGuard = store // a *telenor.StateCookie
//
// Redis is an optimisation, never a single point of failure: every command
// is bounded by Options.Timeout, and when Redis is slow or down each replica
// fetches its own token; no caller sees an error (the SDK logs the change
// of mode once). Tokens are encrypted at rest with AES-256-GCM; Redis sees
// no token, password or secret, and its key names are hashes of the client
// id and user name. See docs/fleet.md in the repository.
package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/telenor-go/telenor"
)

// Defaults of Options.
const (
	DefaultPrefix    = "telenor:"
	DefaultTimeout   = 500 * time.Millisecond
	DefaultLeaseTime = 10 * time.Second
)

// KeySize is the size of each encryption key, in bytes (AES-256).
const KeySize = 32

// pollInterval is how often a replica waiting for the lease holder looks
// for the token it shares: short, since a cold start waits on it, and cheap
// (one GET and one SET NX per replica and poll).
const pollInterval = 25 * time.Millisecond

// Options configures a Store.
type Options struct {
	// Keys encrypt tokens at rest (AES-256-GCM): each KeySize random
	// bytes, secret, the same on every replica. The first encrypts; any
	// decrypts. To rotate, deploy {new, old}, and drop old once the tokens
	// it sealed have expired (a token lifetime: an hour at Telenor).
	// Required. Never printed: Options' String, GoString and LogValue
	// leave them out, and json.Marshal skips them.
	Keys [][]byte `json:"-"`

	// Prefix starts every Redis key the Store writes, so that apps can
	// share a Redis. Default DefaultPrefix.
	Prefix string

	// Timeout bounds each Redis command. Past it, the replica stops
	// waiting for Redis and fetches its own token. Default DefaultTimeout.
	Timeout time.Duration

	// LeaseTime is how long one replica may fetch a token for the fleet
	// before another may take over: the longest a replica that dies while
	// fetching delays the others. Default DefaultLeaseTime.
	LeaseTime time.Duration
}

// String describes the Options without the keys.
func (o Options) String() string {
	return fmt.Sprintf("redisstore.Options{Keys: %d keys [REDACTED], Prefix: %q, Timeout: %s, LeaseTime: %s}",
		len(o.Keys), o.Prefix, o.Timeout, o.LeaseTime)
}

// GoString implements fmt.GoStringer without the keys.
func (o Options) GoString() string { return o.String() }

// LogValue implements slog.LogValuer without the keys.
func (o Options) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("keys", len(o.Keys)), slog.String("prefix", o.Prefix),
		slog.Duration("timeout", o.Timeout), slog.Duration("lease_time", o.LeaseTime))
}

// Store keeps a fleet's shared tokens and used login states in Redis. It
// implements telenor.TokenStore and telenor.ReplayGuard, and is safe for
// concurrent use. Create it with New.
type Store struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
	lease   time.Duration
	seal    *sealer // behind a pointer: fmt never prints its contents
}

var (
	_ telenor.TokenStore  = (*Store)(nil)
	_ telenor.ReplayGuard = (*Store)(nil)
)

// ErrInvalidOptions is matched (errors.Is) by the error New returns for
// bad Options.
var ErrInvalidOptions = errors.New("redisstore: invalid options")

// New returns a Store on rdb, which may be a single Redis, Redis Cluster,
// Sentinel or any Redis-compatible server (Valkey). The keys are copied.
func New(rdb redis.UniversalClient, opts Options) (*Store, error) {
	if rdb == nil {
		return nil, fmt.Errorf("%w: the Redis client is nil", ErrInvalidOptions)
	}
	if opts.Timeout < 0 || opts.LeaseTime < 0 {
		return nil, fmt.Errorf("%w: Timeout and LeaseTime must not be negative", ErrInvalidOptions)
	}
	seal, err := newSealer(opts.Keys)
	if err != nil {
		return nil, err
	}
	return &Store{
		rdb:     rdb,
		prefix:  orDefault(opts.Prefix, DefaultPrefix),
		timeout: orDefault(opts.Timeout, DefaultTimeout),
		lease:   orDefault(opts.LeaseTime, DefaultLeaseTime),
		seal:    seal,
	}, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// tokenKeys returns the Redis keys of the token and of its lease. The
// SDK's key is already a hash; the braces make it the hash tag, so that
// both keys (which a script may touch together) live in one Cluster slot.
func (s *Store) tokenKeys(key string) (token, lease string) {
	base := s.prefix + "{" + key + "}:"
	return base + "token", base + "lease"
}

// stateKey is the Redis key that marks state used: a hash, since a state
// is a secret while its login is in flight.
func (s *Store) stateKey(state string) string {
	sum := sha256.Sum256([]byte("telenor state\x00" + state))
	return s.prefix + "state:" + hex.EncodeToString(sum[:])
}

// do runs one Redis operation bounded by the Store's Timeout. go-redis
// honours a context's deadline only when the client was made with
// ContextTimeoutEnabled; otherwise a hung server holds a command for the
// client's ReadTimeout (3 s by default) and its retries. So the operation
// runs aside and the caller leaves at the deadline; the operation itself
// ends by the client's own timeouts.
func (s *Store) do(ctx context.Context, what string, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- op(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("redisstore: %s: %w", what, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("redisstore: %s: Redis did not answer within %s: %w", what, s.timeout, ctx.Err())
	}
}
