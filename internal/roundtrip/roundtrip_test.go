package roundtrip

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

type ctxKey string

func TestStateOf(t *testing.T) {
	parent := context.WithValue(context.Background(), ctxKey("k"), "v")
	st := &State{Context: parent}
	derived, cancel := context.WithCancel(context.WithValue(st, ctxKey("other"), 1))
	defer cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		want *State
	}{
		{"plain context", context.Background(), nil},
		{"the state", st, st},
		{"derived from the state", derived, st},
		{"traced", httptrace.WithClientTrace(st, &httptrace.ClientTrace{}), st},
	} {
		if got := Of(tt.ctx); got != tt.want {
			t.Errorf("%s: Of = %p; want %p", tt.name, got, tt.want)
		}
	}
	if got := derived.Value(ctxKey("k")); got != "v" {
		t.Errorf("a value of the caller's context through the state = %v; want v", got)
	}
}

// TestStateSent: a typed call numbers its attempts across round trips
// (a redirect's hop goes on from the first's), a request through
// HTTPClient (no state) within its round trip.
func TestStateSent(t *testing.T) {
	var none *State
	if got := none.Sent(0); got != 1 {
		t.Errorf("nil state: Sent(0) = %d; want 1", got)
	}
	if got := none.Sent(2); got != 3 {
		t.Errorf("nil state: Sent(2) = %d; want 3", got)
	}
	none.Answered(&http.Response{StatusCode: 200}) // no crash

	st := &State{Context: context.Background()}
	for i, sent := range []int{0, 1, 0, 1} { // two round trips of two requests
		if got := st.Sent(sent); got != i+1 {
			t.Errorf("request %d: Sent(%d) = %d; want %d", i, sent, got, i+1)
		}
	}
	st.Answered(&http.Response{StatusCode: 503})
	st.Answered(nil) // a connection failure keeps the last answer's status
	if st.Attempts != 4 || st.Status != 503 {
		t.Errorf("state = %d attempts, status %d; want 4, 503", st.Attempts, st.Status)
	}
}

// TestCounterOnTheWire sends requests to a loopback server and checks
// that the counter counts the connections used, that the caller's own
// ClientTrace is called once per request (a redirect's hop gets a counter
// of its own, not the call's composed twice), and that the server saw
// as many requests.
func TestCounterOnTheWire(t *testing.T) {
	var mu sync.Mutex
	served := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served++
		mu.Unlock()
	}))
	defer srv.Close()
	tr := srv.Client().Transport

	callerConns := 0
	caller := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { callerConns++ },
	})
	send := func(ctx context.Context) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	st := &State{Context: caller}
	first, ctx := NewCounter(st, st)
	if first != &st.wc {
		t.Error("the first round trip of a typed call does not use the call's counter")
	}
	st.Sent(0)
	send(ctx)
	st.Sent(1)
	send(ctx)
	hop, hctx := NewCounter(st, st) // a redirect's hop
	if hop == first {
		t.Fatal("a redirect's hop reuses the counter of the first round trip")
	}
	st.Sent(0)
	send(hctx)
	plain, pctx := NewCounter(caller, nil) // a request through HTTPClient
	send(pctx)

	mu.Lock()
	defer mu.Unlock()
	if first.Conns() != 2 || hop.Conns() != 1 || plain.Conns() != 1 {
		t.Errorf("counters = %d, %d, %d; want 2, 1, 1", first.Conns(), hop.Conns(), plain.Conns())
	}
	if callerConns != 4 || served != 4 {
		t.Errorf("caller's GotConn called %d times, server served %d; want 4, 4", callerConns, served)
	}
}

func TestCanResend(t *testing.T) {
	for _, tt := range []struct {
		kind bodyKind
		want bool
	}{
		{noBody, true}, {emptyBody, true}, {rewindable, true}, {failingRewind, true}, {oneShot, false},
	} {
		if got := CanResend(newReq(t, "POST", tt.kind)); got != tt.want {
			t.Errorf("CanResend(body kind %d) = %v; want %v", tt.kind, got, tt.want)
		}
	}
}

func TestResendable(t *testing.T) {
	for _, tt := range []struct {
		name     string
		kind     bodyKind
		sent     int
		same     bool   // the request itself comes back
		wantBody string // of a copy
		wantErr  string
	}{
		{"first send, no body", noBody, 0, true, "", ""},
		{"first send, one-shot body", oneShot, 0, true, "", ""},
		{"first send, rewindable", rewindable, 0, true, "", ""},
		{"first send, failing rewind", failingRewind, 0, true, "", ""},
		{"resend, no body", noBody, 1, true, "", ""},
		{"resend, NoBody", emptyBody, 1, true, "", ""},
		{"resend, rewindable", rewindable, 1, false, "payload", ""},
		{"third send, rewindable", rewindable, 2, false, "payload", ""},
		{"resend, failing rewind", failingRewind, 1, false, "", "cannot rewind"},
		{"resend, one-shot body", oneShot, 1, false, "", "GetBody"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, "POST", tt.kind)
			body := req.Body
			got, err := Resendable(req, tt.sent)
			if req.Body != body {
				t.Fatal("Resendable changed the caller's request body")
			}
			if tt.wantErr != "" {
				if err == nil || got != nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resendable = %v, %v; want nil and an error naming %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == req) != tt.same {
				t.Fatalf("Resendable returned the request itself: %v; want %v", got == req, tt.same)
			}
			if !tt.same {
				b, err := io.ReadAll(got.Body)
				if err != nil || string(b) != tt.wantBody {
					t.Fatalf("resent body = %q, %v; want %q", b, err, tt.wantBody)
				}
				if got.Method != req.Method || got.URL != req.URL || got.Context() != req.Context() {
					t.Error("the copy is not of the request")
				}
			}
		})
	}
	t.Run("GetBody error is wrapped", func(t *testing.T) {
		sentinel := errors.New("rewind failed")
		req := newReq(t, "POST", oneShot)
		req.GetBody = func() (io.ReadCloser, error) { return nil, sentinel }
		if _, err := Resendable(req, 1); !errors.Is(err, sentinel) {
			t.Fatalf("Resendable = %v; want it to wrap the GetBody error", err)
		}
	})
}

// TestSend: base's answer comes through, held to the RoundTripper
// contract as http.Client holds it.
func TestSend(t *testing.T) {
	req := newReq(t, "GET", noBody)
	ok := &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("x"))}
	failure := errors.New("dial failed")
	for _, tt := range []struct {
		name     string
		base     rtFunc
		wantResp *http.Response
		wantErr  string
	}{
		{"answer", answer(ok), ok, ""},
		{"error", func(*http.Request) (*http.Response, error) { return nil, failure }, nil, failure.Error()},
		{"neither", func(*http.Request) (*http.Response, error) { return nil, nil }, nil, "roundtrip.rtFunc"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := Send(tt.base, req)
			if resp != tt.wantResp || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Send = %v, %v; want %v, an error naming %q", resp, err, tt.wantResp, tt.wantErr)
			}
		})
	}
	t.Run("nil body", func(t *testing.T) {
		resp, err := Send(answer(&http.Response{StatusCode: 503}), req)
		if err != nil || resp.Body == nil {
			t.Fatalf("Send = %v, %v; want a response with a body", resp, err)
		}
		if b, err := io.ReadAll(resp.Body); len(b) != 0 || err != nil {
			t.Fatalf("body = %q, %v; want empty", b, err)
		}
	})
}

func TestDiscard(t *testing.T) {
	Discard(nil, 10) // no crash
	body := &countingBody{r: strings.NewReader(strings.Repeat("x", 100))}
	Discard(&http.Response{Body: body}, 10)
	if body.n != 10 || !body.closed {
		t.Fatalf("Discard read %d bytes, closed %v; want 10, true", body.n, body.closed)
	}
	short := &countingBody{r: strings.NewReader("abc")}
	Discard(&http.Response{Body: short}, 10)
	if short.n != 3 || !short.closed {
		t.Fatalf("Discard read %d bytes, closed %v; want 3, true", short.n, short.closed)
	}
}

// Values Authorize is given, as the transport gives them.
var (
	fakeAuth   = []string{"Bearer FAKE-TOKEN-5f3a9c"}
	sdkAccept  = []string{"application/json"}
	sdkUA      = []string{"telenor-go/test"}
	authorizeK = ctxKey("authorize")
)

func TestAuthorize(t *testing.T) {
	for _, tt := range []struct {
		name   string
		header http.Header
		want   http.Header // on the wire, as the server reads it
	}{
		{"no headers", nil, http.Header{"Authorization": fakeAuth, "Accept": sdkAccept, "User-Agent": sdkUA}},
		{"caller's Accept and User-Agent kept", http.Header{"Accept": {"text/plain"}, "User-Agent": {"mine/1"}},
			http.Header{"Authorization": fakeAuth, "Accept": {"text/plain"}, "User-Agent": {"mine/1"}}},
		{"other headers kept", http.Header{"X-Request-Id": {"r1"}, "Cache-Control": {"no-cache"}},
			http.Header{"Authorization": fakeAuth, "Accept": sdkAccept, "User-Agent": sdkUA, "X-Request-Id": {"r1"}, "Cache-Control": {"no-cache"}}},
		{"caller's Authorization replaced", http.Header{"Authorization": {"Basic dXNlcjpwYXNz", "Bearer OTHER"}},
			http.Header{"Authorization": fakeAuth, "Accept": sdkAccept, "User-Agent": sdkUA}},
		{"caller's lower-case authorization replaced", http.Header{"authorization": {"Bearer OTHER"}},
			http.Header{"Authorization": fakeAuth, "Accept": sdkAccept, "User-Agent": sdkUA}},
		{"caller's lower-case accept kept", http.Header{"accept": {"text/plain"}, "user-agent": {"mine/1"}},
			http.Header{"Authorization": fakeAuth, "Accept": {"text/plain"}, "User-Agent": {"mine/1"}}},
		{"both cases of Authorization replaced", http.Header{"authorization": {"Bearer A"}, "Authorization": {"Bearer B"}},
			http.Header{"Authorization": fakeAuth, "Accept": sdkAccept, "User-Agent": sdkUA}},
		{"both cases of a key merged", http.Header{"x-tag": {"a"}, "X-Tag": {"b"}},
			http.Header{"Authorization": fakeAuth, "X-Tag": {"a", "b"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var onWire http.Header
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				onWire = r.Header.Clone()
			}))
			defer srv.Close()
			req, err := http.NewRequest("GET", srv.URL+"/user-info/v1/users", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header = tt.header
			before := tt.header.Clone()
			ctx := context.WithValue(context.Background(), authorizeK, 1)

			r := Authorize(ctx, req, fakeAuth, sdkAccept, sdkUA)
			if r == req || r.Context() != ctx || req.Context() == ctx {
				t.Fatal("Authorize did not return a copy with the given context")
			}
			if !reflect.DeepEqual(req.Header, before) {
				t.Fatalf("the caller's header changed: %v; was %v", req.Header, before)
			}
			r.Header.Set("X-Later", "1") // a transport's own change
			if req.Header.Get("X-Later") != "" {
				t.Fatal("the copy shares its header map with the caller's request")
			}
			r.Header.Del("X-Later")

			resp, err := srv.Client().Transport.RoundTrip(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for k, v := range tt.want {
				if got := slices.Sorted(slices.Values(onWire.Values(k))); !reflect.DeepEqual(got, v) {
					t.Errorf("%s on the wire = %q; want %q", k, got, v)
				}
			}
		})
	}
}

// TestAuthorizeEmptyUserAgent: a User-Agent key with no value is the
// caller's way to send none (net/http's convention); it is kept.
func TestAuthorizeEmptyUserAgent(t *testing.T) {
	req := newReq(t, "GET", noBody)
	req.Header["User-Agent"] = nil
	r := Authorize(context.Background(), req, fakeAuth, sdkAccept, sdkUA)
	if v, ok := r.Header["User-Agent"]; !ok || len(v) != 0 {
		t.Fatalf("User-Agent = %q, present %v; want present and empty", v, ok)
	}
}
