package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrErrorObject is DecodePage's error for a gateway error object in place
// of a page.
var ErrErrorObject = errors.New("the body is an error object, not a page")

// Page is one decoded answer of a list endpoint: its JSON array of items,
// undecoded (see DecodeItems), and what the envelope (if any) says about
// the pages after it.
type Page struct {
	Items      json.RawMessage // the array of items; nil for none
	Last       bool            // the envelope says this is the last page
	TotalPages int             // 0 when not sent
	Total      int64           // total items; -1 when not sent
}

// DecodePage decodes a list answer leniently, as the envelope is not
// documented: a bare JSON array, null (no items), or an object holding the
// array under a known name (Spring's "content", "items", "data", …), under
// its only array member, or one object level deeper (HAL's "_embedded").
// Paging members of the object (last, totalPages, totalElements, also
// inside a "page" object) are read when present. An object that looks
// like a gateway error (see ErrorObject) is ErrErrorObject. A bare array
// is not checked here: DecodeItems checks it as it decodes.
func DecodePage(b []byte) (Page, error) {
	p := Page{Total: -1}
	b = bytes.TrimSpace(b)
	switch {
	case isJSONNull(b):
		return p, nil
	case len(b) > 0 && b[0] == '[':
		p.Items = b
		return p, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return p, err
	}
	if looksLikeError(obj, "content", "items", "data", "results", "_embedded") {
		return p, ErrErrorObject
	}
	readPageInfo(obj, &p, true)
	p.Items = findItems(obj, 1)
	if p.Items == nil && len(obj) > 0 && p.Total != 0 {
		return p, errors.New("no array of items in the page object")
	}
	return p, nil
}

// findItems returns the array of items in obj, looking depth object
// levels further down when obj has none; nil when there is none.
func findItems(obj map[string]json.RawMessage, depth int) json.RawMessage {
	if v, ok := pickArray(obj); ok {
		return v
	}
	v, ok := innerObject(obj)
	var inner map[string]json.RawMessage
	if depth == 0 || !ok || json.Unmarshal(v, &inner) != nil {
		return nil
	}
	return findItems(inner, depth-1)
}

// pickArray returns the member of obj holding the items: the best-ranked
// known name, else the only array member.
func pickArray(obj map[string]json.RawMessage) (json.RawMessage, bool) {
	best, bestRank, arrays := "", unknownKey, 0
	for k, v := range obj {
		if !isArray(v) {
			continue
		}
		arrays++
		if r := itemKeyRank(k); best == "" || r < bestRank || (r == bestRank && k < best) {
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
func readPageInfo(obj map[string]json.RawMessage, p *Page, nested bool) {
	for k, v := range obj {
		switch strings.ToLower(k) {
		case "last", "islast", "lastpage":
			_ = json.Unmarshal(v, &p.Last)
		case "totalpages":
			_ = json.Unmarshal(v, &p.TotalPages)
		case "totalelements", "total", "totalcount", "totalitems", "totalsize":
			var n int64
			if json.Unmarshal(v, &n) == nil && n >= 0 {
				p.Total = n
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

// ListChanged reports an envelope total (of items or of pages) that
// differs from the previous page's; only totals both pages sent are
// compared. The caller wraps it in its own sentinel.
func ListChanged(prev, p Page) error {
	switch {
	case prev.Total >= 0 && p.Total >= 0 && prev.Total != p.Total:
		return fmt.Errorf("%d items, then %d; items may be missing or repeated, range again from the start", prev.Total, p.Total)
	case prev.TotalPages > 0 && p.TotalPages > 0 && prev.TotalPages != p.TotalPages:
		return fmt.Errorf("%d pages, then %d; items may be missing or repeated, range again from the start", prev.TotalPages, p.TotalPages)
	}
	return nil
}

// LastPage reports whether page n (count items of size asked for; seen
// items so far, these included) ends the list.
func LastPage(p Page, count, n, size int, seen int64) bool {
	return count < size || p.Last || (p.TotalPages > 0 && n+1 >= p.TotalPages) || (p.Total >= 0 && seen >= p.Total)
}
