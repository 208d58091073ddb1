package telenor

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// jsonField binds a JSON member name to the Go value it fills.
type jsonField struct {
	name string
	dst  any // *string, or a pointer json.Unmarshal fills
}

// decodeFields decodes the JSON object data leniently: members named in
// fields (matched case-insensitively, as encoding/json does) fill their
// destinations, and every other member is returned in extra, so nothing
// the gateway sends is lost. A known member whose value has an unusable
// type (an object where a string belongs) goes to extra too, instead of
// failing the whole response. A string field also takes a JSON number as
// its literal text (a mobile number sent unquoted). null is a no-op.
func decodeFields(data []byte, fields []jsonField) (extra map[string]json.RawMessage, err error) {
	if isNull(data) {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	for k, v := range m {
		if f := lookupField(fields, k); f != nil && decodeField(v, f.dst) {
			continue
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[k] = v
	}
	return extra, nil
}

func lookupField(fields []jsonField, key string) *jsonField {
	for i := range fields {
		if fields[i].name == key {
			return &fields[i]
		}
	}
	for i := range fields {
		if strings.EqualFold(fields[i].name, key) {
			return &fields[i]
		}
	}
	return nil
}

// decodeField fills dst from v and reports whether v fitted. A value that
// does not fit leaves dst as it was: encoding/json allocates a pointer
// destination before it finds the type wrong, which would turn
// {"lte":1} into LTE = &false ("not supported") instead of nil (unknown).
func decodeField(v json.RawMessage, dst any) bool {
	if p, ok := dst.(*string); ok {
		return decodeLenientString(v, p)
	}
	tmp := reflect.New(reflect.TypeOf(dst).Elem())
	if json.Unmarshal(v, tmp.Interface()) != nil {
		return false
	}
	reflect.ValueOf(dst).Elem().Set(tmp.Elem())
	return true
}

// decodeLenientString accepts a JSON string, a number (kept as written) or
// null (leaves *p alone).
func decodeLenientString(v json.RawMessage, p *string) bool {
	v = bytes.TrimSpace(v)
	switch {
	case isNull(v):
		return true
	case len(v) > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')):
		var n json.Number
		if json.Unmarshal(v, &n) != nil {
			return false
		}
		*p = n.String()
		return true
	}
	return json.Unmarshal(v, p) == nil
}

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }
