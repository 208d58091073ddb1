package telenor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// TokenStore lets the replicas of a fleet (many processes acting as one
// OAuth client) share each system user's token, so that the fleet makes one
// token request per token lifetime instead of one per replica. Set it in
// Config.TokenStore; package github.com/telenor-go/telenor/redisstore
// implements it on Redis.
//
// Only the slow path uses it: when a system user's Session has no valid
// token, or its token is due for refresh-ahead, the Session first loads the
// shared token; if there is none (or it is the one the Session already has),
// one replica takes the lease and fetches while the others wait for it, and
// all adopt the same token with the time its request was sent, so that
// refresh-ahead is due at the same moment on every replica. A hot read never
// calls the store.
//
// The store is an optimisation, never a dependency: when a method fails,
// the replica fetches its own token, no caller sees the store's error, and
// the change of mode is logged once (on Config.Logger) when it starts and
// once when sharing resumes. Every method must return by ctx's deadline.
//
// key identifies one system user of one app at one gateway: a hex SHA-256
// of the gateway, client id and user name, which it does not reveal. A
// store keeps no password and no client secret: only tokens, which it
// should encrypt at rest.
type TokenStore interface {
	// Load returns the token stored under key with the time its request
	// was sent, or a nil token when there is none.
	Load(ctx context.Context, key string) (tok *oauth2.Token, sent time.Time, err error)

	// Lease asks to be the one replica that fetches key's token. When it
	// gets the lease it returns release, which the caller calls once it
	// has saved the new token or failed to get one. When another replica
	// holds the lease, Lease waits a while (until that replica is done,
	// its lease expires, a short poll interval passes, or ctx ends) and
	// returns a nil release: the caller then loads again. A lease must
	// expire on its own, so that a replica that dies holding it delays the
	// others by at most the lease time.
	Lease(ctx context.Context, key string) (release func(context.Context), err error)

	// Save stores tok, whose request was sent at sent, under key until
	// tok.Expiry.
	Save(ctx context.Context, key string, tok *oauth2.Token, sent time.Time) error

	// CompareAndDelete deletes key's token if and only if its access
	// token is accessToken, in one atomic step: a replica whose token the
	// API rejected removes it for the whole fleet, but never a newer token
	// another replica stored meanwhile.
	CompareAndDelete(ctx context.Context, key, accessToken string) error
}

// storeLink is a Client's TokenStore with the mode it is in: sharing, or
// degraded to each replica fetching its own token after a store failure.
// It logs each change of mode once, not per call.
type storeLink struct {
	store    TokenStore
	logger   *slog.Logger
	degraded atomic.Bool
}

func newStoreLink(store TokenStore, logger *slog.Logger) *storeLink {
	if store == nil {
		return nil
	}
	return &storeLink{store: store, logger: logger}
}

// failed records a store failure: from now on the replica fetches alone.
func (l *storeLink) failed(err error) {
	if l.degraded.CompareAndSwap(false, true) {
		l.logger.Warn("telenor: token store failed; this replica fetches its own tokens until it answers again",
			"error", err)
	}
}

// answered records a store success: the fleet shares tokens again.
func (l *storeLink) answered() {
	if l.degraded.CompareAndSwap(true, false) {
		l.logger.Info("telenor: token store answers again; sharing tokens with the fleet")
	}
}

// share makes cache, a system user's, get its tokens through the Client's
// TokenStore, if it has one: the store's protocol wraps the cache's own
// fetch, and a token the API rejects is removed from the store too.
func (c *Client) share(cache *tokenCache, username string) {
	if c.store == nil || username == "" {
		return
	}
	sf := &sharedFetch{link: c.store, key: tokenStoreKey(c.apiBase.String(), c.clientID, username), own: cache.sys.fetch}
	cache.sys.fetch = sf.fetch
	cache.sys.rejected = sf.reject
}

// tokenStoreKey names one system user of one app at one gateway without
// revealing any of them.
func tokenStoreKey(gateway, clientID, username string) string {
	sum := sha256.Sum256([]byte("telenor token store v1\x00" + gateway + "\x00" + clientID + "\x00" + username))
	return hex.EncodeToString(sum[:])
}

// sharedFetch is one system user's fetchFunc in a fleet: the store's
// protocol around the Session's own fetch.
type sharedFetch struct {
	link *storeLink
	key  string
	own  fetchFunc

	mu       sync.Mutex
	last     string // access token this Session got last: never news
	rejected string // access token the API rejected: removed from the store
}

// reject records that the API rejected accessToken (the cache's 401 hook).
func (f *sharedFetch) reject(accessToken string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejected = accessToken
}

// fetch adopts the fleet's token, or fetches it as the lease holder, or,
// when the store fails, fetches alone. ctx is the fetch's own deadline,
// which also bounds every wait for another replica.
func (f *sharedFetch) fetch(ctx context.Context) (issued, error) {
	got, err := f.viaStore(ctx)
	var se *storeError
	if errors.As(err, &se) {
		if ctx.Err() != nil {
			return issued{}, ctx.Err() // the fetch's own deadline, not the store's fault
		}
		f.link.failed(se.err)
		got, err = f.own(ctx)
	}
	if err == nil {
		f.mu.Lock()
		f.last = got.tok.AccessToken
		f.mu.Unlock()
	}
	return got, err
}

// storeError marks a failure of the store, as opposed to of the fetch.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }

// viaStore loads until it finds a token to adopt or gets the lease.
func (f *sharedFetch) viaStore(ctx context.Context) (issued, error) {
	for {
		got, ok, err := f.adopt(ctx)
		if err != nil || ok {
			return got, err
		}
		release, err := f.link.store.Lease(ctx, f.key)
		if err != nil {
			return issued{}, &storeError{err}
		}
		if release != nil {
			return f.fetchAsHolder(ctx, release)
		}
	}
}

// fetchAsHolder fetches the token for the fleet and shares it. The store
// is loaded once more first: the previous holder may have saved between
// this replica's load and its lease.
func (f *sharedFetch) fetchAsHolder(ctx context.Context, release func(context.Context)) (issued, error) {
	defer release(ctx)
	if got, ok, err := f.adopt(ctx); err != nil || ok {
		return got, err
	}
	got, err := f.own(ctx)
	if err != nil {
		return issued{}, err
	}
	if err := f.link.store.Save(ctx, f.key, got.tok, got.sent); err != nil {
		f.link.failed(err) // the token is good: keep it
	}
	return got, nil
}

// adopt loads the shared token and reports whether it may be used: it is
// still valid and it is not the one this Session already had (which is due
// for refresh, or was rejected). A rejected one is removed from the store.
func (f *sharedFetch) adopt(ctx context.Context) (issued, bool, error) {
	tok, sent, err := f.link.store.Load(ctx, f.key)
	if err != nil {
		return issued{}, false, &storeError{err}
	}
	f.link.answered()
	if tok == nil || tok.AccessToken == "" {
		return issued{}, false, nil
	}
	f.mu.Lock()
	last, rejected := f.last, f.rejected
	f.mu.Unlock()
	if tok.AccessToken == rejected {
		if err := f.link.store.CompareAndDelete(ctx, f.key, rejected); err != nil {
			return issued{}, false, &storeError{err}
		}
		return issued{}, false, nil
	}
	if _, staleAt := schedule(sent, tok.Expiry); tok.AccessToken == last || !time.Now().Before(staleAt) {
		return issued{}, false, nil
	}
	return issued{tok: tok, sent: sent}, true, nil
}
