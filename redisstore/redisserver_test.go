package redisstore_test

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisServer is a real redis-server that a test started: in a temporary
// directory, on a unix socket (no port to race for), without persistence,
// and stopped by its PID. There is no fake Redis here: a missing
// redis-server fails the test (.ci/run installs Debian's package).
type redisServer struct {
	t    testing.TB
	dir  string
	Sock string
	cmd  *exec.Cmd
}

// startRedis starts a redis-server for t and stops it when t ends.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed; install Debian's redis-server package (.ci/run does): ", err)
	}
	dir := t.TempDir()
	r := &redisServer{t: t, dir: dir, Sock: filepath.Join(dir, "redis.sock")}
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// Start starts the server (again, after Stop) on the same socket.
func (r *redisServer) Start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", "0", "--unixsocket", r.Sock, "--unixsocketperm", "700",
		"--save", "", "--appendonly", "no", "--dir", r.dir, "--logfile", filepath.Join(r.dir, "redis.log"))
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal("starting redis-server: ", err)
	}
	for range 1000 { // it answers within milliseconds; the count only bounds a broken start
		if conn, err := net.Dial("unix", r.Sock); err == nil {
			ok := ping(conn)
			conn.Close()
			if ok {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
	r.Stop()
	r.t.Fatalf("redis-server did not answer PING; its log:\n%s", log)
}

func ping(conn net.Conn) bool {
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

// Stop kills the server by its PID, as a crash would, and waits for it.
func (r *redisServer) Stop() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	_ = r.cmd.Wait()
	r.cmd = nil
	os.Remove(r.Sock)
}

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
