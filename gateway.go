package telenor

import (
	"errors"
	"io"

	"github.com/telenor-go/telenor/internal/wire"
)

// fillFromGateway adds what a lenient parse of a token endpoint's error body
// finds (Telenor's gateway code, an Apigee fault, OAuth fields) to ae.
func fillFromGateway(ae *AuthError, body []byte) {
	g, ok := wire.ParseGatewayError(body)
	if !ok {
		return
	}
	ae.GatewayCode = g.Code
	if ae.Code == "" {
		ae.Code = g.OAuthError
	}
	if ae.Description == "" {
		ae.Description = orDefault(g.OAuthDescription, g.Message)
	}
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
