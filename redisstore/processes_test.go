package redisstore_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
)

// childEnv carries a replica process's orders: Redis socket, gateway URL
// and how many token periods to run, separated by spaces.
const childEnv = "REDISSTORE_FLEET_REPLICA"

// Three OS processes (this test binary, started again as replicas) share
// one Redis for 20 token periods: the gateway sees the token requests of
// one client, and no replica's caller sees an error.
func TestFleetOfProcesses(t *testing.T) {
	srv := startRedis(t)
	gw := newGateway(t)
	var wg sync.WaitGroup
	outs := make([]string, 3)
	errs := make([]error, 3)
	for i := range outs {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %d", childEnv, srv.Sock, gw.URL, runPeriods))
		wg.Go(func() {
			out, err := cmd.CombinedOutput()
			outs[i], errs[i] = string(out), err
		})
	}
	wg.Wait()
	for i := range outs {
		assert.NoError(t, errs[i], "replica %d: %s", i, outs[i])
		assert.Contains(t, outs[i], "errors=0", "replica %d", i)
	}
	assert.LessOrEqual(t, gw.TokenRequests(), runPeriods+2)
	t.Logf("3 processes over %d token periods: %d token requests", runPeriods, gw.TokenRequests())
}

// fleetChild runs this process as one replica of TestFleetOfProcesses
// when it was started as one, and then exits; otherwise it returns false.
func fleetChild() bool {
	orders := strings.Fields(os.Getenv(childEnv))
	if len(orders) != 3 {
		return false
	}
	quietRedis()
	periods, err := strconv.Atoi(orders[2])
	if err != nil {
		fmt.Println("bad orders:", err)
		os.Exit(2)
	}
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: orders[0]})
	r, cleanup, err := newReplica(orders[1], rdb, slog.DiscardHandler, 2*time.Second)
	if err != nil {
		fmt.Println("replica setup:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(periods)*tokenPeriod)
	errs := runFleet(ctx, []systemUser{r})
	cancel()
	cleanup()
	rdb.Close()
	fmt.Printf("errors=%d\n", errs)
	if errs != 0 {
		os.Exit(1)
	}
	os.Exit(0)
	return true
}
