// Package redistest starts a real redis-server for tests: in a temporary
// directory, on a unix socket (no port to race for), without persistence,
// and stopped by its PID. There is no fake Redis: a missing redis-server
// fails the test, never skips it (.ci/run installs Debian's package). It
// uses the standard library only, so that the SDK's module needs no Redis
// client for it.
package redistest

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a redis-server that a test started.
type Server struct {
	t    testing.TB
	dir  string
	Sock string // its unix socket
	cmd  *exec.Cmd
}

// Start starts a redis-server for t and stops it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed; install Debian's redis-server package (.ci/run does): ", err)
	}
	dir := t.TempDir()
	s := &Server{t: t, dir: dir, Sock: filepath.Join(dir, "redis.sock")}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's address as a go-redis URL.
func (s *Server) URL() string { return "unix://" + s.Sock }

// Restart starts the server again after Stop, on the same socket, empty.
func (s *Server) Restart() {
	s.t.Helper()
	s.cmd = exec.Command("redis-server", "--port", "0", "--unixsocket", s.Sock, "--unixsocketperm", "700",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--logfile", filepath.Join(s.dir, "redis.log"))
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal("starting redis-server: ", err)
	}
	for range 1000 { // it answers within milliseconds; the count only bounds a broken start
		if s.pings() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	s.Stop()
	s.t.Fatalf("redis-server did not answer PING; its log:\n%s", log)
}

func (s *Server) pings() bool {
	conn, err := net.Dial("unix", s.Sock)
	if err != nil {
		return false
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

// Stop kills the server by its PID, as a crash would, and waits for it.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
	s.cmd = nil
	os.Remove(s.Sock)
}
