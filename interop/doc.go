// Package interop tests the SDK against a second OAuth server, a real
// fault proxy and hostile servers. It has no non-test code.
package interop
