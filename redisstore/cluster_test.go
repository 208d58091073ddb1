package redisstore_test

import (
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/internal/redistest"
	"github.com/telenor-go/telenor/telenortest"
)

// The Store works on Redis Cluster through a redis.UniversalClient: its
// scripts touch keys of one hash tag, so Cluster's CROSSSLOT rule never
// refuses them, and two replicas share one token.
func TestStoreOnRedisCluster(t *testing.T) {
	node := redistest.StartCluster(t)
	var rdb redis.UniversalClient = redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs: []string{node.Addr}, IsClusterMode: true,
	})
	t.Cleanup(func() { rdb.Close() })
	_, isCluster := rdb.(*redis.ClusterClient)
	require.True(t, isCluster)
	s := newStore(t, rdb)
	ctx := t.Context()

	release, err := s.Lease(ctx, sdkKey)
	require.NoError(t, err)
	require.NotNil(t, release)
	tok := &oauth2.Token{AccessToken: "access-1", Expiry: time.Now().Add(time.Hour)}
	require.NoError(t, s.Save(ctx, sdkKey, tok, time.Now()))
	release(ctx)
	next, err := s.Lease(ctx, sdkKey)
	require.NoError(t, err)
	assert.NotNil(t, next, "the release script ran on the cluster")
	require.NoError(t, s.CompareAndDelete(ctx, sdkKey, "access-1"))
	got, _, err := s.Load(ctx, sdkKey)
	require.NoError(t, err)
	assert.Nil(t, got, "the compare-and-delete script ran on the cluster")
	fresh, err := s.Claim(ctx, "state", time.Now().Add(time.Minute))
	require.NoError(t, err)
	assert.True(t, fresh)

	gw := telenortest.NewServer()
	t.Cleanup(gw.Close)
	a, b := replica(t, gw.URL, rdb, nil), replica(t, gw.URL, rdb, nil)
	ta, err := a.Token(ctx)
	require.NoError(t, err)
	tb, err := b.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, ta.AccessToken, tb.AccessToken)
	assert.Equal(t, 1, gw.TokenRequests())
}
