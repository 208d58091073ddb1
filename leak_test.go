package telenor

import (
	"github.com/telenor-go/telenor/internal/tokencache"

	"context"
	"runtime"
	"strconv"
	"testing"
	"testing/synctest"
	"time"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// liveHeap returns the bytes still reachable after two collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// collected reports whether every weak pointer has lost its value,
// collecting a few times: cleanups run on their own goroutine.
func collected[T any](ptrs []weak.Pointer[T]) bool {
	for range 20 {
		runtime.GC()
		runtime.Gosched()
		alive := 0
		for _, p := range ptrs {
			if p.Value() != nil {
				alive++
			}
		}
		if alive == 0 {
			return true
		}
	}
	return false
}

// Dropping 10,000 used system sessions leaves no goroutine behind, and
// every session and token is collected at once: the pending timers hold
// tokens only weakly. Memory is back to baseline once the timers have
// fired at the tokens' expiry.
func TestDroppedSystemSessionsReturnToBaseline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const sessions = 10_000
		_, cli := newMemClient(t)
		n := 0
		fetch := func(context.Context) (issued, error) {
			n++
			now := time.Now()
			tok := &oauth2.Token{AccessToken: "tok-" + strconv.Itoa(n), Expiry: now.Add(time.Hour)}
			return issued{Tok: tok, Sent: now}, nil
		}
		// Watch every 100th session through weak pointers (the handles
		// are heap objects too), after a warm-up.
		const every = 100
		caches := make([]weak.Pointer[SystemSession], 0, sessions/every)
		tokens := make([]weak.Pointer[tokencache.Entry], 0, sessions/every)
		_, err := cli.newSystemSession(fetch).Token(t.Context())
		require.NoError(t, err)
		collected(caches)
		goroutines, heap := runtime.NumGoroutine(), liveHeap()

		for i := range sessions {
			s := cli.newSystemSession(fetch)
			_, err := s.Token(t.Context())
			require.NoError(t, err)
			time.Sleep(time.Millisecond) // real traffic spreads sessions, and so their timers, over time
			if i%every == 0 {
				caches = append(caches, weak.Make(s))
				tokens = append(tokens, weak.Make(s.system.cache.Current()))
			}
		}
		synctest.Wait()
		assert.True(t, collected(caches), "every dropped session is collected")
		assert.True(t, collected(tokens), "every dropped session's token is collected")
		assert.Equal(t, goroutines, runtime.NumGoroutine(), "no goroutine outlives its fetch")
		pending := int64(liveHeap()) - int64(heap)
		t.Logf("retained per dropped session until its timers fire: %d bytes", pending/sessions)
		assert.Less(t, pending, int64(sessions*512), "a dropped session keeps only two small timers")

		time.Sleep(2 * time.Hour) // every token expires; the timers fire into nothing
		after := int64(liveHeap()) - int64(heap)
		t.Logf("retained per dropped session after its timers fired: %d bytes", after/sessions)
		// What remains (about 37 bytes a session) is the runtime's timer
		// heap array, which keeps the capacity it grew to for 20,000
		// pending timers (16 bytes each); a heap profile shows no SDK
		// object alive. A control loop without Sessions grows by ~0.
		assert.Less(t, after, int64(sessions*64), "memory is back to baseline but for the runtime's timer array")
	})
}

// A restored user session costs nothing once dropped: after a million
// restores (the pattern of a web app that restores per request) and a
// collection, the heap is back within 1 MiB of where it started. Nothing
// outlives the session: no timer, no cleanup, no goroutine.
func TestDroppedUserSessionsReturnToBaseline(t *testing.T) {
	const restores = 1_000_000
	srv, cli := newMemClient(t)
	stored := &oauth2.Token{AccessToken: srv.IssueUserToken(), Expiry: time.Now().Add(time.Hour)}
	ctx := t.Context()
	if _, err := cli.RestoreUserSession(stored).Token(ctx); err != nil {
		t.Fatal(err)
	}
	goroutines, heap := runtime.NumGoroutine(), liveHeap()
	for range restores {
		s := cli.RestoreUserSession(stored)
		if _, err := s.Token(ctx); err != nil || s.HTTPClient() == nil {
			t.Fatal(err)
		}
	}
	grown := int64(liveHeap()) - int64(heap)
	t.Logf("heap after %d dropped restores: %+d bytes", restores, grown)
	assert.Less(t, grown, int64(1<<20), "the heap is back within 1 MiB")
	// Not Equal: a goroutine left by an earlier test may end meanwhile.
	assert.LessOrEqual(t, runtime.NumGoroutine(), goroutines, "a restore starts no goroutine")
}
