//go:build race

package telenor

// stampedeCallers stays under the race detector's limit of 8,128 live
// goroutines; .ci/run runs the 10,000-caller case without -race.
const stampedeCallers = 5000
