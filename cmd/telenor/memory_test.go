package main

import (
	"io"
	"testing"

	"github.com/telenor-go/telenor/telenortest"
)

// TestFlatMemory: exporting 100,000 subscriptions to CSV takes about the
// memory that 10,000 take; the binary holds one page, not the list.
func TestFlatMemory(t *testing.T) {
	rss := func(n int) int64 {
		g := newGateway(t, telenortest.WithCompanyData(10, n))
		cmd := telenorCmd(g.env, "subscriptions", "-format", "csv")
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		return maxRSS(cmd.ProcessState)
	}
	small, large := rss(10_000), rss(100_000)
	if small < 0 {
		t.Skip("peak memory of a child process is not known on this system")
	}
	t.Logf("peak RSS: %d KiB for 10,000 subscriptions, %d KiB for 100,000", small>>10, large>>10)
	// Holding 90,000 more subscriptions would take well over 8 MiB.
	if large-small > 8<<20 {
		t.Errorf("100,000 subscriptions took %d KiB more than 10,000: memory is not flat", (large-small)>>10)
	}
}
