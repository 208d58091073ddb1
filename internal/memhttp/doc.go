// Package memhttp serves HTTP requests in-process: its Transport is an
// [http.RoundTripper] that hands each request straight to an [http.Handler]
// without any network.
//
// It exists for tests that run inside [testing/synctest] bubbles, where real
// sockets are not "durably blocking" and so stop virtual time from advancing.
// Everything memhttp does while a request is in flight blocks only on
// channels, so a handler that waits on a timer or a context lets the bubble's
// clock jump ahead.
//
// Response bodies are streamed through an [io.Pipe], never buffered whole,
// so a handler may write an arbitrarily large body.
package memhttp
