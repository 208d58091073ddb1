package redisstore

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"
)

// compareAndDelete deletes KEYS[1] if its value starts with ARGV[1] (a
// sealed token's version and fingerprint): one atomic step, so a newer
// token saved meanwhile by another replica is never deleted.
var compareAndDelete = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`)

// releaseLease deletes the lease KEYS[1] if it is still the caller's
// (value ARGV[1]): a holder whose lease expired must not end its
// successor's.
var releaseLease = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`)

// Load implements telenor.TokenStore: it returns the token shared under
// key, decrypted, or a nil token when there is none. A value that opens
// with none of the keys is an error, so that the SDK logs it and the
// replica fetches its own token.
func (s *Store) Load(ctx context.Context, key string) (*oauth2.Token, time.Time, error) {
	name, _ := s.tokenKeys(key)
	var sealed []byte
	err := s.do(ctx, "load token", func(ctx context.Context) error {
		var err error
		sealed, err = s.rdb.Get(ctx, name).Bytes()
		if errors.Is(err, redis.Nil) {
			sealed, err = nil, nil
		}
		return err
	})
	if err != nil || sealed == nil {
		return nil, time.Time{}, err
	}
	tok, sent, err := s.seal.openToken(name, sealed)
	if err != nil {
		return nil, time.Time{}, errors.New("redisstore: load token: " + err.Error())
	}
	return tok, sent, nil
}

// Lease implements telenor.TokenStore with SET NX and an expiry: the lease is a
// random value under the token's lease key that expires after
// Options.LeaseTime by itself. When another replica holds it, Lease waits
// one short poll (or until ctx ends) and returns a nil release.
func (s *Store) Lease(ctx context.Context, key string) (func(context.Context), error) {
	_, name := s.tokenKeys(key)
	mine := rand.Text()
	var held bool
	err := s.do(ctx, "take lease", func(ctx context.Context) error {
		var err error
		held, err = s.rdb.SetNX(ctx, name, mine, s.lease).Result()
		return err
	})
	if err != nil {
		return nil, err
	}
	if held {
		return func(ctx context.Context) {
			// Best effort: a lease not released expires by itself.
			_ = s.do(ctx, "release lease", func(ctx context.Context) error {
				return releaseLease.Run(ctx, s.rdb, []string{name}, mine).Err()
			})
		}, nil
	}
	t := time.NewTimer(pollInterval)
	defer t.Stop()
	select {
	case <-t.C:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Save implements telenor.TokenStore: it stores tok encrypted until it
// expires.
func (s *Store) Save(ctx context.Context, key string, tok *oauth2.Token, sent time.Time) error {
	name, _ := s.tokenKeys(key)
	life := time.Until(tok.Expiry)
	if life <= 0 {
		return nil // nothing worth sharing
	}
	sealed, err := s.seal.sealToken(name, tok, sent)
	if err != nil {
		return err
	}
	return s.do(ctx, "save token", func(ctx context.Context) error {
		return s.rdb.Set(ctx, name, sealed, life).Err()
	})
}

// CompareAndDelete implements telenor.TokenStore in one Lua script that
// compares the stored token's fingerprint, never the token itself.
func (s *Store) CompareAndDelete(ctx context.Context, key, accessToken string) error {
	name, _ := s.tokenKeys(key)
	return s.do(ctx, "delete rejected token", func(ctx context.Context) error {
		return compareAndDelete.Run(ctx, s.rdb, []string{name}, fingerprint(accessToken)).Err()
	})
}

// Claim implements telenor.ReplayGuard with SET NX and an expiry: the first claim of
// state creates its key, which expires when the state does; every later
// claim, from any instance, finds it. A state already expired is refused.
func (s *Store) Claim(ctx context.Context, state string, until time.Time) (bool, error) {
	life := time.Until(until)
	if life <= 0 {
		return false, nil
	}
	var fresh bool
	err := s.do(ctx, "claim state", func(ctx context.Context) error {
		var err error
		fresh, err = s.rdb.SetNX(ctx, s.stateKey(state), 1, life).Result()
		return err
	})
	return fresh, err
}
