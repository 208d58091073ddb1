package redisstore_test

import (
	"bufio"
	"encoding/hex"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/redisstore"
	"github.com/telenor-go/telenor/telenortest"
)

// monitor records every command Redis runs (MONITOR) until stop.
func monitor(t *testing.T, sock string) (stop func() string) {
	conn, err := net.Dial("unix", sock)
	require.NoError(t, err)
	_, err = conn.Write([]byte("MONITOR\r\n"))
	require.NoError(t, err)
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "+OK\r\n", line)
	var out strings.Builder
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			line, err := r.ReadString('\n')
			out.WriteString(line)
			if err != nil {
				return
			}
		}
	})
	return func() string {
		conn.Close()
		wg.Wait()
		return out.String()
	}
}

// Everything that reaches Redis, as MONITOR shows it, and everything in
// it, as DUMP shows it, holds no token, password, secret, user name,
// state or key: tokens are sealed, names are hashes.
func TestRedisSeesNoSecrets(t *testing.T) {
	srv := startRedis(t)
	gw := telenortest.NewServer()
	t.Cleanup(gw.Close)
	stop := monitor(t, srv.Sock)

	a, b := replica(t, gw.URL, srv.Client(t), nil), replica(t, gw.URL, srv.Client(t), nil)
	first, err := a.Token(t.Context())
	require.NoError(t, err)
	_, err = b.Token(t.Context())
	require.NoError(t, err)
	gw.Revoke(first.AccessToken) // a's next call: 401, compare-and-delete, lease, save
	_, err = a.Organizations(t.Context())
	require.NoError(t, err)
	_, err = b.Organizations(t.Context()) // 401 too: b adopts a's new token
	require.NoError(t, err)
	second, err := b.Token(t.Context())
	require.NoError(t, err)
	require.NotEqual(t, first.AccessToken, second.AccessToken)
	guard, err := redisstore.New(srv.Client(t), redisstore.Options{Keys: [][]byte{testKey('k')}})
	require.NoError(t, err)
	const state = "login-state-never-stored-0123456789"
	_, err = guard.Claim(t.Context(), state, time.Now().Add(time.Minute))
	require.NoError(t, err)

	var dumps strings.Builder
	for _, k := range srv.do(t, "KEYS", "*").([]any) {
		dumps.WriteString(k.(string))
		dumps.WriteString(srv.do(t, "DUMP", k).(string))
	}
	monitored := stop()
	require.Contains(t, strings.ToLower(monitored), `"set"`, "MONITOR saw the store's commands")
	for name, secret := range map[string]string{
		"first token": first.AccessToken, "second token": second.AccessToken,
		"password": telenortest.DefaultPassword, "client secret": telenortest.DefaultClientSecret,
		"user name": telenortest.DefaultUsername, "state": state,
		"key": string(testKey('k')), "key in hex": hex.EncodeToString(testKey('k')),
	} {
		assert.NotContains(t, monitored, secret, "MONITOR shows the %s", name)
		assert.NotContains(t, dumps.String(), secret, "DUMP shows the %s", name)
	}
}
