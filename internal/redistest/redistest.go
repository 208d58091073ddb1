// Package redistest starts a real redis-server for tests: in a temporary
// directory, on a unix socket (no port to race for), without persistence,
// and stopped by its PID. There is no fake Redis: a missing redis-server
// fails the test, never skips it (.ci/run installs Debian's package). It
// uses the standard library only, so that the SDK's module needs no Redis
// client for it.
package redistest

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	Addr string // its TCP address, for a cluster node; "" otherwise
	cmd  *exec.Cmd
	args []string
}

// Start starts a redis-server for t and stops it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed; install Debian's redis-server package (.ci/run does): ", err)
	}
	dir := t.TempDir()
	s := &Server{t: t, dir: dir, Sock: filepath.Join(dir, "redis.sock"), args: []string{"--port", "0"}}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// StartCluster starts a one-node Redis Cluster serving every slot, on a
// loopback TCP port (cluster clients reach nodes by host and port) and
// its unix socket, and stops it when t ends. Cluster rules apply, such as
// CROSSSLOT errors for scripts whose keys are in different slots.
func StartCluster(t testing.TB) *Server {
	t.Helper()
	s := Start(t)
	s.Stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port; its +10000 is the cluster bus
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(s.Addr)
	s.args = []string{"--port", port, "--bind", "127.0.0.1", "--cluster-enabled", "yes",
		"--cluster-config-file", filepath.Join(s.dir, "nodes.conf")}
	s.Restart()
	if reply := s.command("CLUSTER ADDSLOTSRANGE 0 16383"); !strings.HasPrefix(reply, "+OK") {
		t.Fatalf("CLUSTER ADDSLOTSRANGE: %q", reply)
	}
	for range 1000 { // the state turns ok within milliseconds
		if strings.Contains(s.command("CLUSTER INFO"), "cluster_state:ok") {
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the one-node cluster did not reach cluster_state:ok")
	return nil
}

// URL is the server's address as a go-redis URL.
func (s *Server) URL() string { return "unix://" + s.Sock }

// Restart starts the server again after Stop, on the same socket, empty.
func (s *Server) Restart() {
	s.t.Helper()
	s.cmd = exec.Command("redis-server", append([]string{"--unixsocket", s.Sock, "--unixsocketperm", "700",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--logfile", filepath.Join(s.dir, "redis.log")}, s.args...)...)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal("starting redis-server: ", err)
	}
	for range 1000 { // it answers within milliseconds; the count only bounds a broken start
		if strings.HasPrefix(s.command("PING"), "+PONG") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	s.Stop()
	s.t.Fatalf("redis-server did not answer PING; its log:\n%s", log)
}

// command sends one inline command on the unix socket and returns the
// reply's first line, or its bulk body; "" when the server cannot be reached.
func (s *Server) command(cmd string) string {
	conn, err := net.Dial("unix", s.Sock)
	if err != nil {
		return ""
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(cmd + "\r\n")); err != nil {
		return ""
	}
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "$") {
		return line
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	body := make([]byte, max(n, 0)+2)
	_, _ = io.ReadFull(r, body)
	return string(body)
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
