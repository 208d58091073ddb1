package telenor

import (
	"errors"
	"io"

	"github.com/telenor-go/telenor/internal/wire"
)

// fillFromGateway adds what a lenient parse of a token endpoint's error body
// finds (Telenor's gateway code, an Apigee fault, OAuth fields) to ae, and
// makes ae's server text safe to log: one printable line, capped.
func fillFromGateway(ae *AuthError, body []byte) {
	if g, ok := wire.ParseGatewayError(body); ok {
		ae.GatewayCode = g.Code
		ae.Code = orDefault(ae.Code, g.OAuthError)
		ae.Description = orDefault(ae.Description, orDefault(g.OAuthDescription, g.Message))
	}
	ae.Code, ae.Description = callbackText(ae.Code), callbackText(ae.Description)
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
