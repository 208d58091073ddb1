package redisstore_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/redisstore"
)

func TestMain(m *testing.M) {
	if fleetChild() {
		return // a replica process of TestFleetOfProcesses; it exits itself
	}
	quietRedis()
	goleak.VerifyTestMain(m)
}

// quietRedis silences go-redis' own logger (a global), which prints every
// failed dial: the outage tests make many on purpose.
func quietRedis() { redis.SetLogger(quiet{}) }

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// testKey returns a distinct 32-byte key.
func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, redisstore.KeySize) }

func newStore(t testing.TB, rdb redis.UniversalClient, keys ...[]byte) *redisstore.Store {
	t.Helper()
	if len(keys) == 0 {
		keys = [][]byte{testKey('k')}
	}
	s, err := redisstore.New(rdb, redisstore.Options{Keys: keys, Timeout: 5 * time.Second})
	require.NoError(t, err)
	return s
}

const sdkKey = "3f1d2c" // what the SDK passes: an opaque hash

func TestNewRefusesBadOptions(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	for name, tc := range map[string]struct {
		rdb  redis.UniversalClient
		opts redisstore.Options
		want string
	}{
		"nil client":       {nil, redisstore.Options{Keys: [][]byte{testKey(1)}}, "client is nil"},
		"no keys":          {rdb, redisstore.Options{}, "Keys is empty"},
		"short key":        {rdb, redisstore.Options{Keys: [][]byte{testKey(1), []byte("short")}}, "key 1 has 5 bytes"},
		"negative timeout": {rdb, redisstore.Options{Keys: [][]byte{testKey(1)}, Timeout: -1}, "negative"},
	} {
		_, err := redisstore.New(tc.rdb, tc.opts)
		assert.ErrorIs(t, err, redisstore.ErrInvalidOptions, name)
		assert.ErrorContains(t, err, tc.want, name)
	}
}

func TestSaveLoadCompareAndDelete(t *testing.T) {
	srv := startRedis(t)
	s := newStore(t, srv.Client(t))
	ctx := t.Context()
	tok, _, err := s.Load(ctx, sdkKey)
	require.NoError(t, err)
	assert.Nil(t, tok, "nothing stored yet")

	sent := time.Now().Truncate(time.Millisecond)
	saved := &oauth2.Token{AccessToken: "access-1", TokenType: "Bearer", Expiry: sent.Add(time.Hour)}
	require.NoError(t, s.Save(ctx, sdkKey, saved, sent))
	tok, gotSent, err := s.Load(ctx, sdkKey)
	require.NoError(t, err)
	assert.Equal(t, "access-1", tok.AccessToken)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.True(t, saved.Expiry.Equal(tok.Expiry))
	assert.True(t, sent.Equal(gotSent), "the send time travels with the token")
	ttl := srv.do(t, "PTTL", "telenor:{"+sdkKey+"}:token").(int64)
	assert.Greater(t, ttl, int64(0))
	assert.LessOrEqual(t, ttl, time.Hour.Milliseconds(), "kept until the token expires")

	require.NoError(t, s.CompareAndDelete(ctx, sdkKey, "access-0"))
	tok, _, _ = s.Load(ctx, sdkKey)
	require.NotNil(t, tok, "another token's rejection leaves this one")
	require.NoError(t, s.CompareAndDelete(ctx, sdkKey, "access-1"))
	tok, _, _ = s.Load(ctx, sdkKey)
	assert.Nil(t, tok, "the rejected token is gone")
}

func TestKeyRotation(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.Client(t)
	ctx := t.Context()
	old, current := testKey('o'), testKey('n')
	tok := &oauth2.Token{AccessToken: "access-1", Expiry: time.Now().Add(time.Hour)}
	require.NoError(t, newStore(t, rdb, old).Save(ctx, sdkKey, tok, time.Now()))

	got, _, err := newStore(t, rdb, current, old).Load(ctx, sdkKey)
	require.NoError(t, err, "any key decrypts")
	assert.Equal(t, "access-1", got.AccessToken)

	_, _, err = newStore(t, rdb, current).Load(ctx, sdkKey)
	assert.ErrorContains(t, err, "opens with none of the keys", "a replica with other keys says so")
	assert.NotContains(t, err.Error(), "access-1")

	require.NoError(t, newStore(t, rdb, current, old).Save(ctx, sdkKey, tok, time.Now()))
	_, _, err = newStore(t, rdb, old).Load(ctx, sdkKey)
	assert.Error(t, err, "the first key encrypts")
}

// The key name is the ciphertext's additional data: a value copied under
// another system user's key does not open.
func TestSealedValueIsBoundToItsKey(t *testing.T) {
	srv := startRedis(t)
	s := newStore(t, srv.Client(t))
	ctx := t.Context()
	tok := &oauth2.Token{AccessToken: "access-1", Expiry: time.Now().Add(time.Hour)}
	require.NoError(t, s.Save(ctx, sdkKey, tok, time.Now()))
	srv.do(t, "COPY", "telenor:{"+sdkKey+"}:token", "telenor:{other}:token")
	_, _, err := s.Load(ctx, "other")
	assert.Error(t, err)
}

func TestLeaseIsExclusiveAndExpires(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.Client(t)
	s, err := redisstore.New(rdb, redisstore.Options{Keys: [][]byte{testKey(1)}, LeaseTime: 300 * time.Millisecond})
	require.NoError(t, err)
	ctx := t.Context()
	release, err := s.Lease(ctx, sdkKey)
	require.NoError(t, err)
	require.NotNil(t, release)
	other, err := s.Lease(ctx, sdkKey)
	require.NoError(t, err)
	assert.Nil(t, other, "held by the first")
	release(ctx)
	again, err := s.Lease(ctx, sdkKey)
	require.NoError(t, err)
	require.NotNil(t, again, "released")

	// Not released (its holder died): the lease ends by itself.
	for {
		next, err := s.Lease(ctx, sdkKey)
		require.NoError(t, err)
		if next != nil {
			break
		}
	}
	again(ctx) // the dead holder's late release must not end its successor's lease
	next, err := s.Lease(ctx, sdkKey)
	require.NoError(t, err)
	assert.Nil(t, next)
	ttl := srv.do(t, "PTTL", "telenor:{"+sdkKey+"}:lease").(int64)
	assert.Greater(t, ttl, int64(0))
}

// The token and its lease share one hash tag: one Redis Cluster slot.
func TestKeysShareAHashTag(t *testing.T) {
	srv := startRedis(t)
	s := newStore(t, srv.Client(t))
	ctx := t.Context()
	require.NoError(t, s.Save(ctx, sdkKey, &oauth2.Token{AccessToken: "a", Expiry: time.Now().Add(time.Hour)}, time.Now()))
	_, err := s.Lease(ctx, sdkKey)
	require.NoError(t, err)
	keys := srv.do(t, "KEYS", "*").([]any)
	assert.ElementsMatch(t, []any{"telenor:{" + sdkKey + "}:token", "telenor:{" + sdkKey + "}:lease"}, keys)
}

func TestClaimIsOncePerStateAcrossStores(t *testing.T) {
	srv := startRedis(t)
	a, b := newStore(t, srv.Client(t)), newStore(t, srv.Client(t))
	ctx := t.Context()
	until := time.Now().Add(10 * time.Minute)
	fresh, err := a.Claim(ctx, "state-1", until)
	require.NoError(t, err)
	assert.True(t, fresh)
	fresh, err = b.Claim(ctx, "state-1", until)
	require.NoError(t, err)
	assert.False(t, fresh, "used at another instance")
	fresh, err = b.Claim(ctx, "state-2", until)
	require.NoError(t, err)
	assert.True(t, fresh)
	fresh, err = a.Claim(ctx, "state-3", time.Now().Add(-time.Second))
	require.NoError(t, err)
	assert.False(t, fresh, "an expired state is never fresh")

	keys := srv.do(t, "KEYS", "telenor:state:*").([]any)
	require.Len(t, keys, 2)
	for _, k := range keys {
		assert.NotContains(t, k, "state-", "the state is hashed")
		ttl := srv.do(t, "PTTL", k).(int64)
		assert.Greater(t, ttl, int64(0))
		assert.LessOrEqual(t, ttl, (10 * time.Minute).Milliseconds(), "remembered for the state's remaining life")
	}
}

func TestStoreAndOptionsNeverPrintKeys(t *testing.T) {
	key := []byte("0123456789abcdef0123456789ABCDEF")
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	opts := redisstore.Options{Keys: [][]byte{key}}
	s, err := redisstore.New(rdb, opts)
	require.NoError(t, err)
	var out strings.Builder
	for _, v := range []any{s, *s, opts, &opts} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		b, _ := json.Marshal(v)
		out.Write(b)
		slog.New(slog.NewJSONHandler(&out, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&out, nil)).Info("x", "v", v)
	}
	for _, form := range []string{string(key), hex.EncodeToString(key), fmt.Sprint(key), fmt.Sprintf("%q", key)} {
		assert.NotContains(t, out.String(), strings.Trim(form, "[]\""))
	}
}

func TestRedisDownIsAnErrorWithinTheTimeout(t *testing.T) {
	srv := startRedis(t)
	s := newStore(t, srv.Client(t))
	srv.Stop()
	_, _, err := s.Load(context.Background(), sdkKey)
	assert.ErrorContains(t, err, "redisstore: load token")
	_, err = s.Claim(context.Background(), "state", time.Now().Add(time.Minute))
	assert.ErrorContains(t, err, "redisstore: claim state")
}
