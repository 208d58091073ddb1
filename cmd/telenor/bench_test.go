package main

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

const benchSubscriptions = 100_000

// BenchmarkExport100k exports 100,000 subscriptions to CSV beside the
// SDK's own iterator over the same gateway, reporting time and peak
// memory per export:
//
//   - sdk-iterator: a range over MobileSubscriptions, doing nothing with
//     the items: the floor;
//   - cli-csv: the command's code in-process, CSV to io.Discard;
//   - cli-process: the binary, as a user runs it; its peak RSS.
//
// The gateway runs in the benchmark's process, so the in-process peaks
// include its garbage too (the same for both).
func BenchmarkExport100k(b *testing.B) {
	g := newGateway(b, telenortest.WithCompanyData(100, benchSubscriptions))
	b.Run("sdk-iterator", func(b *testing.B) {
		sys := sdkSession(b, g)
		opts := telenor.SubscriptionsOptions{PageSize: telenor.MaxPageSize}
		measure(b, func() int {
			n := 0
			for _, err := range sys.MobileSubscriptions(context.Background(), opts) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			return n
		})
	})
	b.Run("cli-csv", func(b *testing.B) {
		env := &environment{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: getenvOf(g.env)}
		measure(b, func() int {
			if code := run(context.Background(), []string{"subscriptions", "-format", "csv"}, env); code != 0 {
				b.Fatalf("exit %d", code)
			}
			return benchSubscriptions
		})
	})
	b.Run("cli-process", func(b *testing.B) {
		var peak int64
		start := time.Now()
		for b.Loop() {
			cmd := telenorCmd(g.env, "subscriptions", "-format", "csv")
			cmd.Stdout = io.Discard
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
			peak = max(peak, maxRSS(cmd.ProcessState))
		}
		b.ReportMetric(float64(benchSubscriptions*b.N)/time.Since(start).Seconds(), "items/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	})
}

// measure runs export b.N times and reports items per second and the
// peak of live heap memory seen while it ran.
func measure(b *testing.B, export func() int) {
	b.ReportAllocs()
	runtime.GC()
	peak := sampleHeapPeak()
	items := 0
	start := time.Now()
	for b.Loop() {
		items += export()
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(items)/elapsed.Seconds(), "items/s")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
}

// sampleHeapPeak samples the heap's size (live and not yet collected
// objects) every millisecond until the returned function is called,
// which returns the largest sample.
func sampleHeapPeak() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-tick.C:
			case <-stop:
				done <- peak
				return
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}

// getenvOf is getenv over a list of NAME=value.
func getenvOf(env []string) func(string) string {
	return func(name string) string {
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, name+"="); ok {
				return v
			}
		}
		return ""
	}
}
