//go:build !race

package telenor

// stampedeCallers is the cold-start stampede size the cache must collapse
// into a single token request.
const stampedeCallers = 10000

// stampedeBenchSizes are the cold-stampede sizes BenchmarkColdStampede
// runs; 10,000 callers exceed the race detector's goroutine limit.
func stampedeBenchSizes() []int { return []int{64, 1024, 10000} }
