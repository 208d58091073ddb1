package webapp_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks for leaked goroutines, except the one scs.New starts
// for each app's in-memory sessions, which sweeps them every minute for
// the life of the process (by scs' design; it cannot be stopped safely).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/alexedwards/scs/v2/memstore.(*MemStore).startCleanup"))
}
