package telenortest

import (
	"fmt"
	"net/http"
	"strconv"
)

// pageRequest is a validated page/pageSize pair.
type pageRequest struct{ page, size int }

// parsePage validates page (default 0) and pageSize (1–MaxPageSize,
// default DefaultPageSize) as the real API does; on failure it has
// written a 400 Telenor error and reports false.
func parsePage(w http.ResponseWriter, r *http.Request) (pageRequest, bool) {
	q := r.URL.Query()
	page, ok1 := intParam(q.Get("page"), 0, 0, 1<<30)
	size, ok2 := intParam(q.Get("pageSize"), DefaultPageSize, 1, MaxPageSize)
	switch {
	case !ok1:
		badQuery(w, fmt.Sprintf("page must be a whole number of 0 or more, not %q", q.Get("page")))
	case !ok2:
		badQuery(w, fmt.Sprintf("pageSize must be a whole number from 1 to %d, not %q", MaxPageSize, q.Get("pageSize")))
	default:
		return pageRequest{page, size}, true
	}
	return pageRequest{}, false
}

// intParam parses a decimal query value within [lo, hi]; empty means def.
func intParam(v string, def, lo, hi int) (int, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= lo && n <= hi
}

// badQuery answers 400 with Telenor's error body (errorCode 0: the
// gateway's code for bad query parameters is not documented).
func badQuery(w http.ResponseWriter, description string) {
	writeTelenorError(w, http.StatusBadRequest, 0, description)
}

// listing is an ordered, filtered view of indexes 0..n-1.
type listing struct {
	n     int
	match func(int) bool // nil keeps every index
	desc  bool
}

// pageOf returns the indexes on page p and the number of matching items.
func (l listing) pageOf(p pageRequest) (idx []int, total int) {
	start := p.page * p.size
	for k := range l.n {
		i := k
		if l.desc {
			i = l.n - 1 - k
		}
		if l.match != nil && !l.match(i) {
			continue
		}
		if total >= start && total < start+p.size {
			idx = append(idx, i)
		}
		total++
		if l.match == nil && total >= start+p.size {
			return idx, l.n // unfiltered: the total is known
		}
	}
	return idx, total
}

// pageEnvelope is EnvelopeObject's wrapping, Spring style.
type pageEnvelope[T any] struct {
	Content       []T  `json:"content"`
	Page          int  `json:"page"`
	PageSize      int  `json:"pageSize"`
	TotalElements int  `json:"totalElements"`
	TotalPages    int  `json:"totalPages"`
	Last          bool `json:"last"`
}

// writePage answers one page of items in the server's envelope.
func writePage[T any](s *Server, w http.ResponseWriter, p pageRequest, items []T, total int) {
	if items == nil {
		items = []T{}
	}
	if s.opts.company.envelope != EnvelopeObject {
		writeJSON(w, http.StatusOK, mustJSON(items))
		return
	}
	pages := (total + p.size - 1) / p.size
	writeJSON(w, http.StatusOK, mustJSON(pageEnvelope[T]{
		Content: items, Page: p.page, PageSize: p.size,
		TotalElements: total, TotalPages: pages, Last: p.page+1 >= pages,
	}))
}
