package backoff

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaks a goroutine (e.g. a Sleep
// that forgot to stop its timer-driven wait).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
