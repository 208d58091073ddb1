//go:build !race

package telenor

// stampedeCallers is the cold-start stampede size the cache must collapse
// into a single token request.
const stampedeCallers = 10000
