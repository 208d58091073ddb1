package backoff

import (
	"context"
	"errors"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"syscall"
)

// ConnectionError reports failures that happen before or while a response
// arrives, which a resend may fix: resets, refused connections, unexpected
// EOF, network timeouts. A context's end is not one: the caller gave up.
func ConnectionError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	// *url.Error implements net.Error whatever it wraps: judge what it wraps.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	var broken textproto.ProtocolError // an answer cut inside its header
	return errors.As(err, &broken) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.As(err, &ne) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// Timeout reports whether err is a timeout of any kind: a context
// deadline, http.Client.Timeout, or a net.Error that timed out.
func Timeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
