// Package wire decodes Telenor Norway's gateway wire formats leniently.
//
// The gateway (Apigee in front of Telenor's identity services) is poorly
// documented and inconsistent: error bodies come in several JSON shapes
// (Telenor's own, Apigee faults, RFC 6749 OAuth errors) or as HTML, and
// sometimes with a 2xx status.
// Everything here is tolerant by design: functions never panic on hostile
// input, report what they could recognise through ok results rather
// than errors, and bound the size of whatever they copy into error messages.
//
// The package is stdlib-only and holds no mutable package state.
package wire
