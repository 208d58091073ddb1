package telenor

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
			p, err := decodePage([]byte(tc.body), 10)
			require.NoError(t, err)
			assert.Len(t, p.items, tc.items)
			assert.Equal(t, tc.last, p.last)
			assert.Equal(t, tc.totalPages, p.totalPages)
			assert.Equal(t, tc.total, p.total)
		})
	}
}

func TestDecodePageRejects(t *testing.T) {
	for _, body := range []string{
		`{"message":"maintenance"}`,          // no array
		`{"a":[1],"b":[2]}`,                  // two unknown arrays: ambiguous
		`{"content":[1,`,                     // cut short
		`"text"`,                             // not a list
		`{"content":{"not":"an array"}}`,     // no array anywhere
		`[{}] [{}]`,                          // two arrays
		`[{},{},{},{},{},{},{},{},{},{},{}]`, // 11 items, 10 at most
		`{"content":[1,2,3,4,5,6,7,8,9,10,11],"last":true}`, // the same in an envelope
	} {
		_, err := decodePage([]byte(body), 10)
		assert.Error(t, err, body)
	}
}

func TestLastPage(t *testing.T) {
	full := page{items: make([]json.RawMessage, 5), total: -1}
	assert.False(t, lastPage(full, 0, 5, 5))
	assert.True(t, lastPage(page{items: make([]json.RawMessage, 4), total: -1}, 0, 5, 4), "short page")
	assert.True(t, lastPage(page{items: full.items, totalPages: 2, total: -1}, 1, 5, 10))
	assert.True(t, lastPage(page{items: full.items, total: 10}, 1, 5, 10))
	assert.True(t, lastPage(page{items: full.items, last: true, total: -1}, 0, 5, 5))
}

func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{`[{"msisdn":"4790000001"}]`, `{"content":[{}],"totalPages":2,"last":true}`,
		`{"_embedded":{"x":[1]},"page":{"totalElements":"3"}}`, `null`, `{}`, `{"a":[1],"b":[2]}`, `[1,`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePage(b, MaxPageSize)
		if err != nil {
			return
		}
		if len(p.items) > MaxPageSize {
			t.Fatalf("%d items, more than MaxPageSize", len(p.items))
		}
		for i, raw := range p.items {
			var sub MobileSubscription
			_ = json.Unmarshal(raw, &sub)
			if !json.Valid(raw) {
				t.Fatalf("item %d is not valid JSON: %q", i, raw)
			}
		}
	})
}
