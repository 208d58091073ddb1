package wire

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawItems decodes a list answer and its items, undecoded, as the SDK
// does.
func rawItems(b []byte, maxItems int) (Page, []json.RawMessage, error) {
	p, err := DecodePage(b)
	if err != nil {
		return p, nil, err
	}
	items, err := DecodeItems(p.Items, maxItems, func(m *json.RawMessage) (any, *string) { return m, nil })
	return p, items, err
}

func TestDecodePageShapes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		items      int
		last       bool
		totalPages int
		total      int64
	}{
		{"bare array", `[{"a":1},{"a":2}]`, 2, false, 0, -1},
		{"empty array", ` [ ] `, 0, false, 0, -1},
		{"null", `null`, 0, false, 0, -1},
		{"empty object", `{}`, 0, false, 0, -1},
		{"spring", `{"content":[{}],"totalPages":3,"totalElements":21,"last":false}`, 1, false, 3, 21},
		{"items", `{"items":[{},{}],"isLast":true}`, 2, true, 0, -1},
		{"data", `{"meta":{"x":1},"data":[{}],"total":"n/a"}`, 1, false, 0, -1},
		{"known name wins", `{"links":[{}],"results":[{},{},{}]}`, 3, false, 0, -1},
		{"only array", `{"mobileSubs":[{}],"count":1}`, 1, false, 0, -1},
		{"hal", `{"_embedded":{"accounts":[{},{}]},"page":{"totalPages":1,"totalElements":2}}`, 2, false, 1, 2},
		{"nested only object", `{"result":{"list":[{}]}}`, 1, false, 0, -1},
		{"no items, total 0", `{"totalElements":0}`, 0, false, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, items, err := rawItems([]byte(tc.body), 10)
			require.NoError(t, err)
			assert.Len(t, items, tc.items)
			assert.Equal(t, tc.last, p.Last)
			assert.Equal(t, tc.totalPages, p.TotalPages)
			assert.Equal(t, tc.total, p.Total)
		})
	}
}

func TestDecodePageRejects(t *testing.T) {
	for _, body := range []string{
		`{"message":"maintenance"}`,          // no array
		`{"a":[1],"b":[2]}`,                  // two unknown arrays: ambiguous
		`{"content":[1,`,                     // cut short
		`[1,`,                                // cut short
		`[{"a":}]`,                           // a bad item
		`"text"`,                             // not a list
		`{"content":{"not":"an array"}}`,     // no array anywhere
		`[{}] [{}]`,                          // two arrays
		`[{},{},{},{},{},{},{},{},{},{},{}]`, // 11 items, 10 at most
		`{"content":[1,2,3,4,5,6,7,8,9,10,11],"last":true}`, // the same in an envelope
	} {
		_, _, err := rawItems([]byte(body), 10)
		assert.Error(t, err, body)
	}
}

func TestDecodePageErrorObject(t *testing.T) {
	_, err := DecodePage([]byte(`{"errorCode":1,"errors":[{}]}`))
	assert.ErrorIs(t, err, ErrErrorObject, "checked before looking for items")
	_, err = DecodePage([]byte(`[{"errorCode":1}]`))
	assert.NoError(t, err, "an array is a page")
}

// FuzzDecodePage: a page decodes to at most maxItems items, each valid
// JSON, exactly when encoding/json takes its array.
func FuzzDecodePage(f *testing.F) {
	const maxItems = 1000
	for _, s := range []string{`[{"msisdn":"4790000001"}]`, `{"content":[{}],"totalPages":2,"last":true}`,
		`{"_embedded":{"x":[1]},"page":{"totalElements":"3"}}`, `null`, `{}`, `{"a":[1],"b":[2]}`, `[1,`,
		` [ {"a" : "]\"}"} , 2 ] `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, items, err := rawItems(b, maxItems)
		if p.Items != nil {
			var want []json.RawMessage
			if json.Unmarshal(p.Items, &want) != nil || len(want) > maxItems {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Len(t, items, len(want))
			for i := range want {
				assert.Equal(t, string(want[i]), string(items[i]))
			}
		}
	})
}

func TestLastPage(t *testing.T) {
	assert.False(t, LastPage(Page{Total: -1}, 5, 0, 5, 5))
	assert.True(t, LastPage(Page{Total: -1}, 4, 0, 5, 4), "short page")
	assert.True(t, LastPage(Page{TotalPages: 2, Total: -1}, 5, 1, 5, 10))
	assert.True(t, LastPage(Page{Total: 10}, 5, 1, 5, 10))
	assert.True(t, LastPage(Page{Last: true, Total: -1}, 5, 0, 5, 5))
}
