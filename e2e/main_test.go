// Package e2e holds the SDK's real-browser end-to-end tests. It is a module of
// its own so that users of the SDK never download browser tooling.
package e2e

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run when any goroutine outlives the tests: the browser
// harness must end everything it starts (chromedp's reader and waiter
// goroutines, the HTTP servers), not leave it for the process exit.
//
// Ignored: the goroutine scs.New starts for each linkauth instance's
// in-memory session store, which sweeps it every minute for the life of
// the process (by scs' design; it cannot be stopped safely).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/alexedwards/scs/v2/memstore.(*MemStore).startCleanup"))
}
