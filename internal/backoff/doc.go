// Package backoff computes retry delays for calls to Telenor's gateway.
//
// The gateway (Apigee) enforces spike arrest and quota policies, so a client
// that retries in lock-step with other clients makes things worse. This
// package therefore provides jittered exponential backoff, honours a server's
// Retry-After hint (within a cap, so a misbehaving gateway cannot park a
// caller for hours), and offers a context-aware Sleep that never leaks timers.
//
// The package holds no mutable state; randomness comes from math/rand/v2's
// top-level functions, which are safe for concurrent use.
package backoff
