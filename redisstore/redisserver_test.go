package redisstore_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/telenor-go/telenor/internal/redistest"
)

// redisServer is a real redis-server that a test started (redistest),
// with go-redis clients of it.
type redisServer struct {
	*redistest.Server
}

func startRedis(t testing.TB) *redisServer { return &redisServer{redistest.Start(t)} }

// Client returns a go-redis client of the server, closed when t ends.
// Its ReadTimeout and WriteTimeout are off and it ignores context
// deadlines (go-redis' default), so only the Store's own bound can stop
// a command that a hung server never answers.
func (r *redisServer) Client(t testing.TB) *redis.Client {
	return newClient(t, &redis.Options{Network: "unix", Addr: r.Sock})
}

func newClient(t testing.TB, opts *redis.Options) *redis.Client {
	opts.ReadTimeout, opts.WriteTimeout = -1, -1
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// do runs one command on the server and returns its reply.
func (r *redisServer) do(t testing.TB, args ...any) any {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: r.Sock})
	defer rdb.Close()
	v, err := rdb.Do(context.Background(), args...).Result()
	if err != nil && err != redis.Nil {
		t.Fatal(err)
	}
	return v
}
