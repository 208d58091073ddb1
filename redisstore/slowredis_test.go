package redisstore_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// holdForever makes latencyProxy forward nothing: a Redis that accepts
// connections and never answers.
const holdForever = -1

// latencyProxy forwards TCP connections to the Redis at sock, delaying
// every chunk from the client by delay (holdForever: never forwarding),
// and returns its address. It stops when t ends.
func latencyProxy(t testing.TB, sock string, delay time.Duration) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	stop := make(chan struct{})
	var mu sync.Mutex
	var conns []net.Conn
	track := func(c net.Conn) {
		mu.Lock()
		defer mu.Unlock()
		conns = append(conns, c)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		close(stop)
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			track(c)
			wg.Go(func() { forward(c, sock, delay, stop, track, &wg) })
		}
	})
	return ln.Addr().String()
}

// forward copies c to a new connection to sock after delay per chunk,
// and the answers back at once.
func forward(c net.Conn, sock string, delay time.Duration, stop chan struct{}, track func(net.Conn), wg *sync.WaitGroup) {
	if delay == holdForever {
		<-stop
		return
	}
	up, err := net.Dial("unix", sock)
	if err != nil {
		c.Close()
		return
	}
	track(up)
	wg.Go(func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := up.Read(buf)
			if err != nil {
				c.Close()
				return
			}
			if _, err := c.Write(buf[:n]); err != nil {
				return
			}
		}
	})
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if err != nil {
			up.Close()
			return
		}
		select {
		case <-time.After(delay):
		case <-stop:
			return
		}
		if _, err := up.Write(buf[:n]); err != nil {
			return
		}
	}
}

// proxiedClient returns a go-redis client that reaches Redis through addr.
func proxiedClient(t testing.TB, addr string) *redis.Client {
	return newClient(t, &redis.Options{Addr: addr})
}

// Redis 200 ms away: the fleet still shares (one token request for two
// replicas), and a hot read allocates nothing and never waits for Redis.
func TestFleetThroughSlowRedis(t *testing.T) {
	srv := startRedis(t)
	gw := telenortest.NewServer() // an hour: 1-second tokens expire in 200 ms round trips
	t.Cleanup(gw.Close)
	addr := latencyProxy(t, srv.Sock, 200*time.Millisecond)
	a, b := replica(t, gw.URL, proxiedClient(t, addr), nil), replica(t, gw.URL, proxiedClient(t, addr), nil)
	ta, err := a.Token(t.Context())
	require.NoError(t, err)
	tb, err := b.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, ta.AccessToken, tb.AccessToken)
	assert.Equal(t, 1, gw.TokenRequests())

	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := a.Token(ctx); err != nil {
			t.Error(err)
		}
	})
	assert.Zero(t, allocs)
}

// A Redis that accepts connections and never answers, reached by a
// client without read timeouts that ignores context deadlines: the
// Store's own bound still lets the replica fetch alone, and it logs that
// once.
func TestFleetFallsBackWhenRedisHangs(t *testing.T) {
	srv := startRedis(t)
	gw := newGateway(t)
	addr := latencyProxy(t, srv.Sock, holdForever)
	logs := &modeLog{}
	s := replica(t, gw.URL, proxiedClient(t, addr), logs)
	_, err := s.Token(t.Context())
	require.NoError(t, err, "Redis never answered; the replica fetched its own token")
	assert.Equal(t, 1, gw.TokenRequests())
	assert.EqualValues(t, 1, logs.failed.Load())
}

// BenchmarkHotRead compares a system user's cached Token read with a
// TokenStore on a Redis 200 ms away and without any store: the same cost
// and no allocation, since a hot read never reaches the store. Redis and
// its proxy run during both, so that only the store differs.
func BenchmarkHotRead(b *testing.B) {
	gw := telenortest.NewServer() // an hour: no refresh during the benchmark
	b.Cleanup(gw.Close)
	srv := startRedis(b)
	addr := latencyProxy(b, srv.Sock, 200*time.Millisecond)
	b.Run("store=none", func(b *testing.B) {
		benchHotRead(b, replica(b, gw.URL, nil, nil))
	})
	b.Run("store=redis-200ms", func(b *testing.B) {
		benchHotRead(b, replica(b, gw.URL, proxiedClient(b, addr), nil))
	})
}

func benchHotRead(b *testing.B, s systemUser) {
	ctx := context.Background()
	if _, err := s.Token(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Token(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
