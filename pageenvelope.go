package telenor

import (
	"encoding/json"
	"fmt"

	"github.com/telenor-go/telenor/internal/wire"
)

// pageDecoder makes a wire.Page a target of the shared decodeJSON.
type pageDecoder struct{ p *wire.Page }

// UnmarshalJSON implements json.Unmarshaler.
func (d pageDecoder) UnmarshalJSON(b []byte) error {
	var err error
	*d.p, err = wire.DecodePage(b)
	return err
}

// viewer is an item type with a method-less view for encoding/json.
type viewer interface{ view() (any, *string) }

// decodeItems decodes the items of a page of path, at most maxItems, in
// one pass (wire.DecodeItems). Anything wrong is ErrMalformedResponse.
func decodeItems[T any](path string, items json.RawMessage, maxItems int) ([]T, error) {
	list, err := wire.DecodeItems(items, maxItems, func(v *T) (any, *string) {
		if vw, ok := any(v).(viewer); ok {
			return vw.view()
		}
		return v, nil // it decodes itself
	})
	if err != nil {
		return nil, fmt.Errorf("%w: GET %s: %w", ErrMalformedResponse, path, err)
	}
	return list, nil
}
