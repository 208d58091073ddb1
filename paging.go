package telenor

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"strconv"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/roundtrip"
	"github.com/telenor-go/telenor/internal/wire"
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
// a paged list, -1 for an unpaged one; from page 1 on, an envelope that
// disagrees with prev's is ErrListChanged. The observer hears of the page
// with its item count, or that error.
func getPage[T any](ctx context.Context, s *session, path string, query url.Values, index, maxItems int, prev wire.Page) (items []T, p wire.Page, err error) {
	if s == nil || s.client == nil {
		return nil, p, errNoSession()
	}
	o := s.begin(ctx, http.MethodGet, path, index)
	defer func() { o.end(err, len(items)) }()
	res, err := s.call(o.st, http.MethodGet, s.client.apiURL(path, query), "", maxPageBody)
	if err != nil {
		return nil, p, err
	}
	err = roundtrip.CtxFirst(ctx, decodeJSON(http.MethodGet+" "+path, res, pageDecoder{&p}))
	if errors.Is(err, wire.ErrErrorObject) {
		return nil, p, res.unexpected()
	}
	if err != nil {
		return nil, p, err
	}
	items, err = decodeItems[T](path, p.Items, maxItems)
	if err == nil && index > 0 {
		if err = wire.ListChanged(prev, p); err != nil {
			err = fmt.Errorf("%w: %w", ErrListChanged, err)
		}
	}
	return items, p, err
}

// getList fetches an unpaged list and decodes every item. More than
// MaxPageSize items is ErrMalformedResponse: no company has that many
// organizations or agreements, and a bound keeps a hostile answer small.
func getList[T any](ctx context.Context, s *session, path string) ([]T, error) {
	items, _, err := getPage[T](ctx, s, path, nil, -1, MaxPageSize, wire.Page{})
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
		q := url.Values{}
		maps.Copy(q, query) // Set below replaces values, never appends to query's
		q.Set("pageSize", strconv.Itoa(size))
		seen := int64(0)
		var prev wire.Page
		for n := 0; ; n++ {
			q.Set("page", strconv.Itoa(n))
			items, p, err := getPage[T](ctx, s, path, q, n, size, prev)
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
			if wire.LastPage(p, len(items), n, size, seen) {
				return
			}
			prev = wire.Page{Total: p.Total, TotalPages: p.TotalPages} // not its items: they may go
		}
	}
}

// failed is an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
