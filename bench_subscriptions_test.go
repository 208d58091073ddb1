package telenor

import (
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/telenor-go/telenor/telenortest"
)

// BenchmarkMobileSubscriptions iterates 100,000 subscriptions in pages of
// MaxPageSize from the fake on loopback, per op. Memory stays flat: only
// one page is alive at a time. It reports bytes allocated per item and
// the peak live heap (client and in-process fake together), sampled at
// every page boundary.
func BenchmarkMobileSubscriptions(b *testing.B) {
	const total = 100_000
	srv := telenortest.NewServer(telenortest.WithCompanyData(100, total))
	s := systemSession(newTestClient(b, srv))
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, err := range s.MobileSubscriptions(b.Context(), SubscriptionsOptions{PageSize: MaxPageSize}) {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n%MaxPageSize == 0 {
				metrics.Read(sample)
				peak = max(peak, sample[0].Value.Uint64())
			}
		}
		if n != total {
			b.Fatalf("got %d subscriptions, want %d", n, total)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	items := float64(b.N) * total
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/items, "B/item")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/items, "ns/item")
}
