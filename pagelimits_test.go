package telenor

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// itemsJSON is a JSON array of n small subscriptions numbered from first.
func itemsJSON(first, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"msisdn":"47%08d"}`, first+i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// pageServer answers every list request with page(n, size), n and size
// from the query.
func pageServer(t *testing.T, page func(n, size int) string) *wireServer {
	return newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(page(n, size)))
	})
}

// firstSubscriptions ranges over MobileSubscriptions and returns the
// items yielded before the first error, and that error.
func firstSubscriptions(s *SystemSession, opts SubscriptionsOptions) ([]string, error) {
	var got []string
	for sub, err := range s.MobileSubscriptions(context.Background(), opts) {
		if err != nil {
			return got, err
		}
		got = append(got, sub.MSISDN)
	}
	return got, nil
}

func TestPageWithMoreItemsThanPageSizeIsMalformed(t *testing.T) {
	for name, wrap := range map[string]func(string) string{
		"array":  func(items string) string { return items },
		"object": func(items string) string { return `{"content":` + items + `,"totalElements":6}` },
	} {
		t.Run(name, func(t *testing.T) {
			ws := pageServer(t, func(n, size int) string { return wrap(itemsJSON(0, size+1)) })
			got, err := firstSubscriptions(ws.system(t), SubscriptionsOptions{PageSize: 5})
			require.ErrorIs(t, err, ErrMalformedResponse)
			assert.Contains(t, err.Error(), "more than 5 items")
			assert.Empty(t, got, "nothing of the bad page is yielded")
			assert.Equal(t, int64(1), ws.requests.Load())
		})
	}
}

func TestUnpagedListOverMaxPageSizeIsMalformed(t *testing.T) {
	ws := pageServer(t, func(int, int) string { return itemsJSON(0, MaxPageSize+1) })
	_, err := ws.system(t).Organizations(t.Context())
	assert.ErrorIs(t, err, ErrMalformedResponse)
	ok := pageServer(t, func(int, int) string { return itemsJSON(0, MaxPageSize) })
	orgs, err := ok.system(t).Organizations(t.Context())
	require.NoError(t, err)
	assert.Len(t, orgs, MaxPageSize)
}

// A 16 MiB page of tiny items (5.6 million "{}") once took the heap to
// about 430 MiB and returned every item. It is an error, and decoding
// stops after MaxPageSize+1 items.
func TestHugePageOfTinyItemsIsBounded(t *testing.T) {
	for name, prefix := range map[string]string{"array": "", "object": `{"content":`} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			b.WriteString(prefix + "[{}")
			for b.Len() < maxPageBody-8 {
				b.WriteString(",{}")
			}
			b.WriteString("]")
			if prefix != "" {
				b.WriteString("}")
			}
			body := b.Bytes()
			ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) })
			s := ws.system(t)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := s.Organizations(t.Context())
			runtime.ReadMemStats(&after)
			t.Logf("allocated %d MiB", (after.TotalAlloc-before.TotalAlloc)>>20)
			assert.ErrorIs(t, err, ErrMalformedResponse)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(128<<20),
				"bounded by the body, not by the number of items")
		})
	}
}

func TestChangedTotalBetweenPagesIsErrListChanged(t *testing.T) {
	for _, tc := range []struct{ name, page0, page1 string }{
		{"totalElements", `"totalElements":12`, `"totalElements":13`},
		{"total in a page object", `"page":{"totalElements":12}`, `"page":{"totalElements":11}`},
		{"totalPages", `"totalPages":3`, `"totalPages":4`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := pageServer(t, func(n, size int) string {
				meta := tc.page0
				if n > 0 {
					meta = tc.page1
				}
				return `{"content":` + itemsJSON(n*size, size) + `,` + meta + `}`
			})
			got, err := firstSubscriptions(ws.system(t), SubscriptionsOptions{PageSize: 5})
			require.ErrorIs(t, err, ErrListChanged)
			assert.Contains(t, err.Error(), "page 1")
			assert.Len(t, got, 5, "page 0's items, then the error instead of page 1's")
			assert.Equal(t, int64(2), ws.requests.Load(), "no page after the error")
		})
	}
}

func TestSteadyTotalPagesThrough(t *testing.T) {
	ws := pageServer(t, func(n, size int) string {
		return `{"content":` + itemsJSON(n*size, min(size, 12-n*size)) + `,"totalElements":12,"totalPages":3}`
	})
	got, err := firstSubscriptions(ws.system(t), SubscriptionsOptions{PageSize: 5})
	require.NoError(t, err)
	assert.Len(t, got, 12)
}
