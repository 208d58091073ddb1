package telenor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// errErrorObject is decodePage's error for a gateway error object in
// place of a page.
var errErrorObject = errors.New("the body is an error object, not a page")

// page is one decoded answer of a list endpoint: its items, undecoded,
// and what the envelope (if any) says about the pages after it.
type page struct {
	items      []json.RawMessage
	last       bool  // the envelope says this is the last page
	totalPages int   // 0 when not sent
	total      int64 // total items; -1 when not sent
}

// pageDecoder makes decodePage a target of the shared decodeJSON.
type pageDecoder struct {
	p        *page
	maxItems int
}

// UnmarshalJSON implements json.Unmarshaler.
func (d pageDecoder) UnmarshalJSON(b []byte) error {
	q, err := decodePage(b, d.maxItems)
	*d.p = q
	return err
}

// decodePage decodes a list answer leniently, as the envelope is not
// documented: a bare JSON array, null (no items), or an object holding the
// array under a known name (Spring's "content", "items", "data", …), under
// its only array member, or one object level deeper (HAL's "_embedded").
// Paging members of the object (last, totalPages, totalElements, also
// inside a "page" object) are read when present. A page of more than
// maxItems items is an error, found without holding more than maxItems+1
// of them: a hostile 16 MiB page of "{}" costs the body, not millions of
// items.
func decodePage(b []byte, maxItems int) (page, error) {
	p := page{total: -1}
	b = bytes.TrimSpace(b)
	switch {
	case isNull(b):
		return p, nil
	case len(b) > 0 && b[0] == '[':
		items, err := splitItems(b, maxItems)
		p.items = items
		return p, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return p, err
	}
	if looksLikeError(obj, "content", "items", "data", "results", "_embedded") {
		return p, errErrorObject
	}
	readPageInfo(obj, &p, true)
	items, found, err := findItems(obj, 1, maxItems)
	switch {
	case err != nil:
		return p, err
	case !found && len(obj) > 0 && p.total != 0:
		return p, errors.New("no array of items in the page object")
	}
	p.items = items
	return p, nil
}

// findItems returns the array of items in obj (at most maxItems), looking
// depth object levels further down when obj has none.
func findItems(obj map[string]json.RawMessage, depth, maxItems int) ([]json.RawMessage, bool, error) {
	if v, ok := pickArray(obj); ok {
		items, err := splitItems(v, maxItems)
		return items, err == nil, err
	}
	if depth == 0 {
		return nil, false, nil
	}
	v, ok := innerObject(obj)
	if !ok {
		return nil, false, nil
	}
	var inner map[string]json.RawMessage
	if json.Unmarshal(v, &inner) != nil {
		return nil, false, nil
	}
	return findItems(inner, depth-1, maxItems)
}

// splitItems splits the JSON array b into its elements without copying
// them, failing at element maxItems+1 and on anything that is not one
// valid array. The elements are sub-slices of b.
func splitItems(b []byte, maxItems int) ([]json.RawMessage, error) {
	if !json.Valid(b) {
		return nil, json.Unmarshal(b, new(json.RawMessage)) // the syntax error, without a copy
	}
	i := skipSpace(b, 0)
	if b[i] != '[' {
		return nil, errors.New("the items are not a JSON array")
	}
	var items []json.RawMessage
	for i = skipSpace(b, i+1); ; i = skipSpace(b, i) { // valid JSON: the closing ] is ahead
		switch {
		case b[i] == ']':
			return items, nil
		case b[i] == ',':
			i++
			continue
		case len(items) == maxItems:
			return nil, fmt.Errorf("more than %d items in one page", maxItems)
		}
		end := skipValue(b, i)
		items = append(items, b[i:end:end])
		i = end
	}
}

// pickArray returns the member of obj holding the items: the best-ranked
// known name, else the only array member.
func pickArray(obj map[string]json.RawMessage) (json.RawMessage, bool) {
	best, bestRank, arrays := "", len(obj)+100, 0
	for k, v := range obj {
		if !isArray(v) {
			continue
		}
		arrays++
		if r := itemKeyRank(k); r < bestRank || (r == bestRank && k < best) {
			best, bestRank = k, r
		}
	}
	if best != "" && (bestRank < unknownKey || arrays == 1) {
		return obj[best], true
	}
	return nil, false
}

// unknownKey is the rank of a member name itemKeyRank does not know.
const unknownKey = 100

// itemKeyRank ranks member names that commonly hold a page's items, most
// likely first.
func itemKeyRank(k string) int {
	switch strings.ToLower(k) {
	case "content":
		return 0
	case "items":
		return 1
	case "data":
		return 2
	case "results", "elements", "values", "records":
		return 3
	case "mobilesubscriptions", "subscriptions", "accounts", "organizations", "agreements":
		return 4
	}
	return unknownKey
}

// innerObject returns the object member to look into: "_embedded",
// "data" or "result" if present, else the only object member.
func innerObject(obj map[string]json.RawMessage) (json.RawMessage, bool) {
	for _, k := range [...]string{"_embedded", "data", "result"} {
		if v, ok := obj[k]; ok && isObject(v) {
			return v, true
		}
	}
	var found json.RawMessage
	n := 0
	for k, v := range obj {
		if isObject(v) && !strings.EqualFold(k, "page") {
			found, n = v, n+1
		}
	}
	return found, n == 1
}

// readPageInfo reads the paging members an envelope may carry, also from
// a nested "page" object (one level, when nested is true). Any it cannot
// read are ignored: they can only end paging early, never extend it.
func readPageInfo(obj map[string]json.RawMessage, p *page, nested bool) {
	for k, v := range obj {
		switch strings.ToLower(k) {
		case "last", "islast", "lastpage":
			_ = json.Unmarshal(v, &p.last)
		case "totalpages":
			_ = json.Unmarshal(v, &p.totalPages)
		case "totalelements", "total", "totalcount", "totalitems", "totalsize":
			var n int64
			if json.Unmarshal(v, &n) == nil && n >= 0 {
				p.total = n
			}
		case "page":
			var inner map[string]json.RawMessage
			if nested && isObject(v) && json.Unmarshal(v, &inner) == nil {
				readPageInfo(inner, p, false)
			}
		}
	}
}

func isArray(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '['
}

func isObject(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '{'
}
