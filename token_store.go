package telenor

import (
	"context"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/fleet"
	"github.com/telenor-go/telenor/internal/tokencache"
)

// TokenStore lets the replicas of a fleet (many processes acting as one
// OAuth client) share each system user's token, so that the fleet makes one
// token request per token lifetime instead of one per replica. Set it in
// Config.TokenStore; package github.com/telenor-go/telenor/redisstore
// implements it on Redis.
//
// Only a system session's slow path uses it (no valid token, or
// refresh-ahead due): it adopts the stored token with the time its
// request was sent, or one replica takes the lease and fetches while the
// others wait. A hot read never calls the store. The store is an
// optimisation, never a dependency: when a method fails, the replica
// fetches its own token, no caller sees the store's error, and the change
// of mode is logged once. Every method must return by ctx's deadline. See
// docs/fleet.md.
//
// key is a hex SHA-256 of the gateway, client id and user name, which it
// does not reveal. A store keeps no password and no client secret: only
// tokens, which it should encrypt at rest.
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

// share makes cache, a system user's, get its tokens through the Client's
// TokenStore, if it has one: the store's protocol wraps the cache's own
// fetch, and a token the API rejects is removed from the store too.
func (c *Client) share(cache *tokencache.Cache, username string) {
	if c.store == nil || username == "" {
		return
	}
	own := cache.Sys.Fetch
	f := c.store.Share(fleet.Key(c.apiBase.String(), c.clientID, username),
		func(ctx context.Context) (*oauth2.Token, time.Time, error) {
			got, err := own(ctx)
			return got.Tok, got.Sent, err
		},
		func(tok *oauth2.Token, sent time.Time) bool {
			_, staleAt := tokencache.Schedule(sent, tok.Expiry)
			return time.Now().Before(staleAt)
		})
	cache.Sys.Fetch = func(ctx context.Context) (issued, error) {
		tok, sent, err := f.Fetch(ctx)
		return issued{Tok: tok, Sent: sent}, err
	}
	cache.Sys.Rejected = f.Reject
}
