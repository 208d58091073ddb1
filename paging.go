package telenor

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/telenor-go/telenor/internal/gateway"
)

// Page sizes of the paged list endpoints.
const (
	// DefaultPageSize is the page size used when an options' PageSize is 0.
	DefaultPageSize = 100
	// MaxPageSize is the largest page size the gateway accepts.
	MaxPageSize = gateway.MaxPageSize
)

// maxPageBody caps one page's body. A page of MaxPageSize items of a
// few hundred bytes each is well under it; the cap is higher than
// maxAPIBody because items have more fields than the documentation shows.
const maxPageBody = 16 << 20

// checkPageSize validates an options' PageSize and applies the default.
func checkPageSize(field string, n int) (int, error) {
	switch {
	case n == 0:
		return DefaultPageSize, nil
	case n < 1 || n > MaxPageSize:
		return 0, configError(field, "is %d; want 1 to %d (0 means %d)", n, MaxPageSize, DefaultPageSize)
	}
	return n, nil
}

// getPage fetches one list answer through the shared API path (token,
// retries, 401 replay, typed errors), with the larger body size limit,
// and decodes its items, at most maxItems. index is the page's index for
// a paged list, -1 for an unpaged one; the observer hears of the page
// with its item count.
func getPage[T any](ctx context.Context, s *session, path string, query url.Values, index, maxItems int) (items []T, p page, err error) {
	if s == nil || s.client == nil {
		return nil, p, errNoSession()
	}
	o := s.begin(ctx, http.MethodGet, path, index)
	defer func() { o.end(err, len(items)) }()
	res, err := s.call(o.st, http.MethodGet, s.client.apiURL(path, query), "", maxPageBody)
	if err != nil {
		return nil, p, err
	}
	err = ctxFirst(ctx, decodeJSON(http.MethodGet+" "+path, res, pageDecoder{&p}))
	if errors.Is(err, errErrorObject) {
		return nil, p, res.unexpected()
	}
	if err != nil {
		return nil, p, err
	}
	items, err = decodeItems[T](path, p.items, maxItems)
	return items, p, err
}

// getList fetches an unpaged list and decodes every item. More than
// MaxPageSize items is ErrMalformedResponse: no company has that many
// organizations or agreements, and a bound keeps a hostile answer small.
func getList[T any](ctx context.Context, s *session, path string) ([]T, error) {
	items, _, err := getPage[T](ctx, s, path, nil, -1, MaxPageSize)
	return items, err
}

// paged iterates the items of a paged list endpoint lazily: page n+1 is
// fetched only when the loop has taken every item of page n and wants
// more. It stops after an empty or short page, or when the envelope says
// the page was the last. A page is decoded whole before its first item is
// yielded. A failure is yielded once, with the zero T, and ends the
// iteration; so is a page whose envelope shows that the listing changed
// since the page before (ErrListChanged). query is not modified.
func paged[T any](ctx context.Context, s *session, path string, query url.Values, size int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		q := cloneQuery(query)
		q.Set("pageSize", strconv.Itoa(size))
		seen := int64(0)
		var prev page
		for n := 0; ; n++ {
			q.Set("page", strconv.Itoa(n))
			items, p, err := getPage[T](ctx, s, path, q, n, size)
			if err == nil && n > 0 {
				err = listChanged(prev, p)
			}
			if err != nil {
				yield(zero, fmt.Errorf("telenor: page %d of %s: %w", n, path, err))
				return
			}
			for _, v := range items {
				if !yield(v, nil) {
					return
				}
			}
			seen += int64(len(items))
			if lastPage(p, len(items), n, size, seen) {
				return
			}
			prev = page{total: p.total, totalPages: p.totalPages} // not its items: they may go
		}
	}
}

// listChanged reports, as an error matching ErrListChanged, an envelope
// total (of items or of pages) that differs from the previous page's.
// Only totals both pages sent are compared.
func listChanged(prev, p page) error {
	switch {
	case prev.total >= 0 && p.total >= 0 && prev.total != p.total:
		return fmt.Errorf("%w: %d items, then %d; items may be missing or repeated, range again from the start",
			ErrListChanged, prev.total, p.total)
	case prev.totalPages > 0 && p.totalPages > 0 && prev.totalPages != p.totalPages:
		return fmt.Errorf("%w: %d pages, then %d; items may be missing or repeated, range again from the start",
			ErrListChanged, prev.totalPages, p.totalPages)
	}
	return nil
}

// lastPage reports whether page n (count items of size asked for) ends
// the list.
func lastPage(p page, count, n, size int, seen int64) bool {
	switch {
	case count < size, p.last:
		return true
	case p.totalPages > 0 && n+1 >= p.totalPages:
		return true
	case p.total >= 0 && seen >= p.total:
		return true
	}
	return false
}

// failed is an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

func cloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q)+2)
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
