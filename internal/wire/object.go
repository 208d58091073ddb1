package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// The SDK's API types are structs with json tags that keep the object the
// gateway sent (a raw string field). Decode fills the fields with
// encoding/json; the members no field takes are worked out only when
// asked for (Unknown) or when encoding (Encode), so decoding costs what
// encoding/json costs. A field's member may be matched under a second
// name, given in an alias tag (`json:"orgNumber" alias:"organizationNumber"`);
// only DecodeEach, Unknown and Encode know aliases.

// Decode decodes the JSON object b into the tagged struct v points to and
// keeps a copy of b in *raw; null leaves both alone. The struct type must
// have no UnmarshalJSON method: callers pass their value converted to a
// method-less type (a view). A member whose value does not fit its field
// (an object for a string, 1 for a bool) leaves the field zero instead of
// failing the object, and a number fits a string field as written; a
// syntax error or a value that is not an object fails.
func Decode(b []byte, v any, raw *string) error {
	if isJSONNull(b) {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return misfit(err, b, v, raw)
	}
	*raw = string(b)
	return nil
}

// misfit handles err from decoding b into v: a value that does not fit its
// field sends b down the member by member path (encoding/json has filled
// what it could, and may have half-filled a *bool with false); any other
// error is returned.
func misfit(err error, b []byte, v any, raw *string) error {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return err
	}
	return DecodeEach(b, v, raw)
}

// DecodeEach is Decode member by member: slower, and it knows aliases.
// Unlike encoding/json it first resets *v.
func DecodeEach(b []byte, v any, raw *string) error {
	if isJSONNull(b) {
		return nil
	}
	rv := reflect.ValueOf(v).Elem()
	rv.SetZero()
	if _, _, err := decodeMembers(b, v); err != nil {
		return err
	}
	*raw = string(b)
	return nil
}

// Unknown returns the members of the object raw that no tagged field of T
// takes, also those of a known name whose value did not fit; nil when
// there are none.
func Unknown[T any](raw string) map[string]json.RawMessage {
	m, _, _ := decodeMembers([]byte(raw), new(T))
	if len(m) == 0 {
		return nil
	}
	return m
}

// Encode encodes the tagged fields of *v that are set (not "", null or {})
// together with the members of raw that no field takes, each field under
// the name raw used for it: what the gateway sent comes back in its shape,
// and decodes to an equal value.
func Encode[T any](v *T, raw string) ([]byte, error) {
	out, keys, _ := decodeMembers([]byte(raw), new(T))
	if out == nil {
		out = map[string]json.RawMessage{}
	}
	rv := reflect.ValueOf(v).Elem()
	for i := range rv.NumField() {
		name, _ := names(rv.Type().Field(i))
		if name == "" {
			continue
		}
		b, err := json.Marshal(rv.Field(i).Interface())
		if err != nil {
			return nil, err
		}
		if s := string(b); s == `""` || s == "null" || s == "{}" {
			continue
		}
		if keys[i] != "" {
			name = keys[i]
		}
		out[name] = b
	}
	return json.Marshal(out)
}

// Names returns the member names of T's tagged fields.
func Names[T any]() []string {
	t := reflect.TypeFor[T]()
	var list []string
	for i := range t.NumField() {
		if name, _ := names(t.Field(i)); name != "" {
			list = append(list, name)
		}
	}
	return list
}

// decodeMembers decodes the JSON object b member by member into the
// tagged fields of *v that the values fit. It returns the members left
// over and, per field, the member key it took (or "").
func decodeMembers(b []byte, v any) (rest map[string]json.RawMessage, keys []string, err error) {
	rv := reflect.ValueOf(v).Elem()
	keys = make([]string, rv.NumField())
	if err := json.Unmarshal(b, &rest); err != nil {
		return nil, keys, err
	}
	for i := range keys {
		name, alias := names(rv.Type().Field(i))
		if key, ok := lookup(rest, name, alias); ok && fill(rv.Field(i), rest[key]) {
			keys[i] = key
			delete(rest, key)
		}
	}
	return rest, keys, nil
}

// names returns the member name in f's json tag ("" for none or "-") and
// its alias.
func names(f reflect.StructField) (name, alias string) {
	name, _, _ = strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || !f.IsExported() {
		return "", ""
	}
	return name, f.Tag.Get("alias")
}

// lookup finds the member for name or alias, ignoring case as
// encoding/json does. Of several matches it takes the last in key order,
// as encoding/json does when decoding an encoded (sorted) map.
func lookup(m map[string]json.RawMessage, name, alias string) (key string, ok bool) {
	if name == "" {
		return "", false
	}
	for k := range m {
		match := strings.EqualFold(k, name) || (alias != "" && strings.EqualFold(k, alias))
		if match && (!ok || k > key) {
			key, ok = k, true
		}
	}
	return key, ok
}

// fill sets f from the JSON value v and reports whether v fitted f's type.
// A number fits a string field as written (a mobile number sent
// unquoted).
func fill(f reflect.Value, v json.RawMessage) bool {
	p := reflect.New(f.Type())
	if err := json.Unmarshal(v, p.Interface()); err != nil {
		var n json.Number
		if f.Kind() != reflect.String || json.Unmarshal(v, &n) != nil {
			return false
		}
		p.Elem().SetString(n.String())
	}
	f.Set(p.Elem())
	return true
}

func isJSONNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

// DecodeItems decodes the JSON array b (nil: no items) into at most
// maxItems items in one pass of a json.Decoder, as an app's own loop
// would; one item more is an error, found before it is decoded. fields
// returns what encoding/json fills for an item, a method-less view as
// Decode takes it, and its raw field, which is given the item's bytes; or
// the item itself and nil, when it decodes itself. An item that does not
// fit the view is decoded member by member, as Decode does.
func DecodeItems[T any](b []byte, maxItems int, fields func(*T) (any, *string)) ([]T, error) {
	if b == nil {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, errors.New("the items are not a JSON array")
	}
	var items []T
	for dec.More() {
		if len(items) == maxItems {
			return nil, fmt.Errorf("more than %d items in one page", maxItems)
		}
		items = append(items, *new(T))
		v, raw := fields(&items[len(items)-1])
		if err := decodeItem(dec, b, v, raw); err != nil {
			return nil, fmt.Errorf("item %d: %w", len(items)-1, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b[dec.InputOffset():])) > 0 {
		return nil, errors.New("data after the JSON array of items")
	}
	return items, nil
}

// decodeItem decodes the next item of dec, which reads b, into v and
// keeps its bytes in *raw (unless raw is nil).
func decodeItem(dec *json.Decoder, b []byte, v any, raw *string) error {
	start := dec.InputOffset()
	err := dec.Decode(v)
	item := bytes.TrimLeft(b[start:dec.InputOffset()], ", \t\r\n")
	switch {
	case raw == nil:
		return err
	case err != nil:
		return misfit(err, item, v, raw)
	}
	*raw = string(item)
	return nil
}
