//go:build race

package telenor

// stampedeCallers stays under the race detector's limit of 8,128 live
// goroutines; .ci/run runs the 10,000-caller case without -race.
const stampedeCallers = 5000

// stampedeBenchSizes are the cold-stampede sizes BenchmarkColdStampede
// runs under the race detector.
func stampedeBenchSizes() []int { return []int{64, 1024} }
