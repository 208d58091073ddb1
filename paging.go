package telenor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Page sizes of the paged list endpoints.
const (
	// DefaultPageSize is the page size used when an options' PageSize is 0.
	DefaultPageSize = 100
	// MaxPageSize is the largest page size the gateway accepts.
	MaxPageSize = 1000
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
// retries, 401 replay, typed errors), with the larger body size limit. A
// page of more than maxItems items is ErrMalformedResponse. index is the
// page's index for a paged list, -1 for an unpaged one.
func (s *session) getPage(ctx context.Context, path string, query url.Values, index, maxItems int) (p page, err error) {
	if s == nil || s.client == nil {
		return p, errNoSession()
	}
	o := s.begin(ctx, http.MethodGet, path, index)
	defer func() { o.end(err, len(p.items)) }()
	res, err := s.call(o.st, http.MethodGet, s.client.apiURL(path, query), "", maxPageBody)
	if err != nil {
		return p, err
	}
	err = ctxFirst(ctx, decodeJSON(http.MethodGet+" "+path, res, pageDecoder{&p, maxItems}))
	if errors.Is(err, errErrorObject) {
		return p, res.unexpected()
	}
	return p, err
}

// getList fetches an unpaged list and decodes every item. More than
// MaxPageSize items is ErrMalformedResponse: no company has that many
// organizations or agreements, and a bound keeps a hostile answer small.
func getList[T any](ctx context.Context, s *session, path string) ([]T, error) {
	p, err := s.getPage(ctx, path, nil, -1, MaxPageSize)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(p.items))
	for i, raw := range p.items {
		if err := decodeItem(path, i, raw, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// paged iterates the items of a paged list endpoint lazily: page n+1 is
// fetched only when the loop has taken every item of page n and wants
// more. It stops after an empty or short page, or when the envelope says
// the page was the last. A failure is yielded once, with the zero T, and
// ends the iteration; so is a page whose envelope shows that the listing
// changed since the page before (ErrListChanged). query is not modified.
func paged[T any](ctx context.Context, s *session, path string, query url.Values, size int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		q := cloneQuery(query)
		q.Set("pageSize", strconv.Itoa(size))
		seen := int64(0)
		var prev page
		for n := 0; ; n++ {
			q.Set("page", strconv.Itoa(n))
			p, err := s.getPage(ctx, path, q, n, size)
			if err == nil && n > 0 {
				err = listChanged(prev, p)
			}
			if err != nil {
				yield(zero, fmt.Errorf("telenor: page %d of %s: %w", n, path, err))
				return
			}
			if !yieldItems(path, p.items, yield) {
				return
			}
			seen += int64(len(p.items))
			if lastPage(p, n, size, seen) {
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

// yieldItems decodes and yields items one at a time, so only one decoded
// item is alive per page. It reports whether the loop wants more.
func yieldItems[T any](path string, items []json.RawMessage, yield func(T, error) bool) bool {
	for i, raw := range items {
		var v T
		if err := decodeItem(path, i, raw, &v); err != nil {
			yield(v, err)
			return false
		}
		if !yield(v, nil) {
			return false
		}
	}
	return true
}

// lastPage reports whether page n (of size items asked for) ends the
// list.
func lastPage(p page, n, size int, seen int64) bool {
	switch {
	case len(p.items) < size, p.last:
		return true
	case p.totalPages > 0 && n+1 >= p.totalPages:
		return true
	case p.total >= 0 && seen >= p.total:
		return true
	}
	return false
}

func decodeItem(path string, i int, raw json.RawMessage, dst any) error {
	if err := unmarshal(raw, dst); err != nil {
		return fmt.Errorf("%w: GET %s: item %d: %w", ErrMalformedResponse, path, i, err)
	}
	return nil
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
