package telenortest

import "sync"

// faultTable keeps, per URL path, the request count and the queue of
// pending faults. It is shared by every endpoint.
type faultTable struct {
	mu      sync.Mutex
	counts  map[string]int
	pending map[string][]pendingFault
}

// pendingFault is a fault with the number of requests it still applies to.
type pendingFault struct {
	fault Fault
	left  int
}

// add queues f for the next n requests to path.
func (t *faultTable) add(path string, n int, f Fault) {
	if n <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending == nil {
		t.pending = map[string][]pendingFault{}
	}
	t.pending[path] = append(t.pending[path], pendingFault{fault: f, left: n})
}

// arrive counts a request to path and takes the fault it should get, if
// any.
func (t *faultTable) arrive(path string) (Fault, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]int{}
	}
	t.counts[path]++
	q := t.pending[path]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].fault
	if q[0].left--; q[0].left == 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(t.pending, path)
	} else {
		t.pending[path] = q
	}
	return f, true
}

// count reports how many requests have arrived for path.
func (t *faultTable) count(path string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[path]
}
