package telenor

import (
	"bytes"
	"encoding/json"
)

// encodeFields encodes a value decoded by decodeFields back to the
// gateway's shape: its known members under their wire names (the first
// name of each destination), written over the unknown members kept in
// extra. A value the SDK decoded therefore encodes to what the gateway
// sent, key order and whitespace aside, and decodes back to an equal value:
// apps can store these types as JSON and restore them. Empty strings, nil
// pointers, empty raw values and empty objects are left out, as the
// members they stand for were absent.
func encodeFields(fields []jsonField, extra map[string]json.RawMessage) ([]byte, error) {
	m := make(map[string]json.RawMessage, len(fields)+len(extra))
	for k, v := range extra {
		m[k] = v
	}
	seen := make(map[any]bool, len(fields))
	for _, f := range fields {
		if seen[f.dst] {
			continue // a second wire name for the same field (orgNumber/organizationNumber)
		}
		seen[f.dst] = true
		v, err := encodeField(f.dst)
		if err != nil {
			return nil, err
		}
		if v != nil {
			m[f.name] = v
		}
	}
	return json.Marshal(m)
}

// encodeField encodes what dst points to, or returns nil for a value that
// stands for an absent member.
func encodeField(dst any) (json.RawMessage, error) {
	switch d := dst.(type) {
	case *string:
		if *d == "" {
			return nil, nil
		}
	case **bool:
		if *d == nil {
			return nil, nil
		}
	case *json.RawMessage:
		if len(*d) == 0 {
			return nil, nil
		}
		return *d, nil
	case *BirthDate:
		if d.Raw == "" {
			return nil, nil
		}
	}
	b, err := json.Marshal(dst)
	if err != nil || bytes.Equal(b, []byte("{}")) || bytes.Equal(b, []byte("null")) {
		return nil, err
	}
	return b, nil
}
