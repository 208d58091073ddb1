// Package fleet is the protocol by which the replicas of a fleet share one
// system user's token through a telenor.TokenStore: adopt the stored
// token, or fetch it as the one lease holder, or, when the store fails,
// fetch alone. See docs/fleet.md.
package fleet

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

// Store has telenor.TokenStore's methods, documented there.
type Store interface {
	Load(ctx context.Context, key string) (tok *oauth2.Token, sent time.Time, err error)
	Lease(ctx context.Context, key string) (release func(context.Context), err error)
	Save(ctx context.Context, key string, tok *oauth2.Token, sent time.Time) error
	CompareAndDelete(ctx context.Context, key, accessToken string) error
}

// Fetch gets a token and the time its request was sent. ctx carries the
// fetch's own deadline.
type Fetch func(ctx context.Context) (*oauth2.Token, time.Time, error)

// Link is a Client's store with the mode it is in: sharing, or degraded to
// each replica fetching its own token after a store failure. It logs each
// change of mode once, not per call.
type Link struct {
	store    Store
	logger   *slog.Logger
	degraded atomic.Bool
}

// NewLink returns the Link of store, logging on logger.
func NewLink(store Store, logger *slog.Logger) *Link {
	return &Link{store: store, logger: logger}
}

// failed and answered log a change of mode with the context of the fetch
// that noticed it, which carries its caller's trace.
func (l *Link) failed(ctx context.Context, err error) {
	if l.degraded.CompareAndSwap(false, true) {
		l.logger.WarnContext(ctx, "telenor: token store failed; this replica fetches its own tokens until it answers again",
			"error", err)
	}
}

func (l *Link) answered(ctx context.Context) {
	if l.degraded.CompareAndSwap(true, false) {
		l.logger.InfoContext(ctx, "telenor: token store answers again; sharing tokens with the fleet")
	}
}

// Key names one system user of one app at one gateway without revealing
// any of them.
func Key(gateway, clientID, username string) string {
	sum := sha256.Sum256([]byte("telenor token store v1\x00" + gateway + "\x00" + clientID + "\x00" + username))
	return hex.EncodeToString(sum[:])
}

// Shared is one system user's fetch in a fleet: the store's protocol
// around the session's own fetch.
type Shared struct {
	link   *Link
	key    string
	own    Fetch
	usable func(tok *oauth2.Token, sent time.Time) bool // not yet stale

	mu       sync.Mutex
	last     string // access token this session got last: never news
	rejected string // access token the API rejected: removed from the store
}

// Share returns the fleet's fetch of key's token around own. usable
// reports whether a stored token is still worth adopting.
func (l *Link) Share(key string, own Fetch, usable func(*oauth2.Token, time.Time) bool) *Shared {
	return &Shared{link: l, key: key, own: own, usable: usable}
}

// Reject records that the API rejected accessToken: the next fetch removes
// it from the store if it is still there.
func (f *Shared) Reject(accessToken string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejected = accessToken
}

// Fetch adopts the fleet's token, or fetches it as the lease holder, or,
// when the store fails, fetches alone. ctx is the fetch's own deadline,
// which also bounds every wait for another replica.
func (f *Shared) Fetch(ctx context.Context) (*oauth2.Token, time.Time, error) {
	tok, sent, err := f.viaStore(ctx)
	var se *storeError
	if errors.As(err, &se) {
		if ctx.Err() != nil {
			return nil, time.Time{}, ctx.Err() // the fetch's own deadline, not the store's fault
		}
		f.link.failed(ctx, se.err)
		tok, sent, err = f.own(ctx)
	}
	if err == nil {
		f.mu.Lock()
		f.last = tok.AccessToken
		f.mu.Unlock()
	}
	return tok, sent, err
}

// storeError marks a failure of the store, as opposed to of the fetch.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }

// viaStore loads until it finds a token to adopt or gets the lease.
func (f *Shared) viaStore(ctx context.Context) (*oauth2.Token, time.Time, error) {
	for {
		tok, sent, err := f.adopt(ctx)
		if err != nil || tok != nil {
			return tok, sent, err
		}
		release, err := f.link.store.Lease(ctx, f.key)
		if err != nil {
			return nil, time.Time{}, &storeError{err}
		}
		if release != nil {
			return f.fetchAsHolder(ctx, release)
		}
	}
}

// fetchAsHolder fetches the token for the fleet and shares it. The store
// is loaded once more first: the previous holder may have saved between
// this replica's load and its lease.
func (f *Shared) fetchAsHolder(ctx context.Context, release func(context.Context)) (*oauth2.Token, time.Time, error) {
	defer release(ctx)
	if tok, sent, err := f.adopt(ctx); err != nil || tok != nil {
		return tok, sent, err
	}
	tok, sent, err := f.own(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	if err := f.link.store.Save(ctx, f.key, tok, sent); err != nil {
		f.link.failed(ctx, err) // the token is good: keep it
	}
	return tok, sent, nil
}

// adopt loads the shared token and returns it if it may be used: it is
// usable and it is not the one this session already had (which is due
// for refresh, or was rejected). A rejected one is removed from the store.
func (f *Shared) adopt(ctx context.Context) (*oauth2.Token, time.Time, error) {
	tok, sent, err := f.link.store.Load(ctx, f.key)
	if err != nil {
		return nil, time.Time{}, &storeError{err}
	}
	f.link.answered(ctx)
	if tok == nil || tok.AccessToken == "" {
		return nil, time.Time{}, nil
	}
	f.mu.Lock()
	last, rejected := f.last, f.rejected
	f.mu.Unlock()
	if tok.AccessToken == rejected {
		if err := f.link.store.CompareAndDelete(ctx, f.key, rejected); err != nil {
			return nil, time.Time{}, &storeError{err}
		}
		return nil, time.Time{}, nil
	}
	if tok.AccessToken == last || !f.usable(tok, sent) {
		return nil, time.Time{}, nil
	}
	return tok, sent, nil
}
