package backoff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConnectionError(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: "https://x", Err: err} }
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"reset", wrap(syscall.ECONNRESET), true},
		{"refused", wrap(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), true},
		{"broken pipe", fmt.Errorf("write: %w", syscall.EPIPE), true},
		{"eof", wrap(io.EOF), true},
		{"cut body", io.ErrUnexpectedEOF, true},
		{"cut header", wrap(textproto.ProtocolError("malformed MIME header")), true},
		{"canceled", wrap(context.Canceled), false},
		{"deadline", wrap(context.DeadlineExceeded), false},
		{"other", errors.New("bad request"), false},
		{"url error around nothing network", wrap(errors.New("unsupported protocol scheme")), false},
	} {
		assert.Equal(t, tc.want, ConnectionError(tc.err), tc.name)
	}
}
