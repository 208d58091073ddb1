package wire

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// snippetLen is how much of a body an error about it quotes.
const snippetLen = 256

// ReadBody reads resp's body through limit. A declared length over the
// limit fails before reading anything.
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	if n := resp.ContentLength; n > 0 {
		b := make([]byte, n) // exact size: one allocation on the hot path
		if _, err := io.ReadFull(resp.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return ReadLimited(resp.Body, limit)
}

// DecodeJSON decodes a 2xx JSON body into out. The Content-Type ctype is
// only a hint (the gateway has labelled JSON as text before), so the body
// decides: it must be a JSON object or array. The error describes the
// body and quotes its start: API bodies are user data, not credentials.
func DecodeJSON(body []byte, ctype string, out any) error {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') {
		return errors.New(describe(body, ctype, "is not JSON"))
	}
	if err := Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: %w", describe(body, ctype, "is not valid JSON"), err)
	}
	return nil
}

func describe(body []byte, ctype, problem string) string {
	return fmt.Sprintf("%d-byte body (%s) %s: %q", len(body), cmp.Or(ctype, "no Content-Type"), problem,
		Snippet(body, snippetLen))
}

// Unmarshal decodes b into out, which must be a non-nil pointer. A type
// with its own UnmarshalJSON is called directly: json.Unmarshal would first
// scan all of b to validate it, and the SDK's decoders validate as they
// decode, so that scan would be a second full pass over every body.
func Unmarshal(b []byte, out any) error {
	if u, ok := out.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(b)
	}
	return json.Unmarshal(b, out)
}
