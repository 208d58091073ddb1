package memhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

func client(h http.HandlerFunc) *http.Client {
	return &http.Client{Transport: &Transport{Handler: h}}
}

func TestRoundTrip(t *testing.T) {
	type ctxKey struct{}
	c := client(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.RemoteAddr != RemoteAddr || r.Host != "example.test:8080" || r.RequestURI != "/p?q=1" ||
			r.URL.Host != "" || r.Method != http.MethodPost || string(body) != "hello" ||
			r.Header.Get("X-In") != "in" || r.Context().Value(ctxKey{}) != "v" {
			t.Errorf("handler saw %s %s host %q remote %q uri %q body %q", r.Method, r.URL, r.Host, r.RemoteAddr, r.RequestURI, body)
		}
		w.Header().Set("X-Out", "out")
		w.Header().Set("Content-Length", "5")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "world")
		w.Header().Set("X-Late", "ignored")
	})
	ctx := context.WithValue(context.Background(), ctxKey{}, "v")
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://example.test:8080/p?q=1", strings.NewReader("hello"))
	req.Header.Set("X-In", "in")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || string(body) != "world" {
		t.Fatalf("body %q, err %v", body, err)
	}
	if resp.StatusCode != http.StatusCreated || resp.Status != "201 Created" || resp.ContentLength != 5 ||
		resp.Header.Get("X-Out") != "out" || resp.Header.Get("X-Late") != "" || resp.ProtoMajor != 1 {
		t.Errorf("response %+v", resp)
	}
}

func TestImplicitStatusAndSniffing(t *testing.T) {
	for _, tt := range []struct {
		name  string
		h     http.HandlerFunc
		ctype string
		body  string
	}{
		{"nothing written", func(http.ResponseWriter, *http.Request) {}, "", ""},
		{"html sniffed", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "<html></html>") }, "text/html; charset=utf-8", "<html></html>"},
		{"flush", func(w http.ResponseWriter, _ *http.Request) {
			http.NewResponseController(w).Flush()
			_, _ = io.WriteString(w, "x")
		}, "", "x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client(tt.h).Get("http://x/")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tt.ctype || string(body) != tt.body {
				t.Errorf("status %d, Content-Type %q, body %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		})
	}
}

func TestHead(t *testing.T) {
	resp, err := client(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "not sent")
	}).Head("http://x/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(body) != 0 {
		t.Errorf("HEAD body %q", body)
	}
}

func TestAbortBeforeHeader(t *testing.T) {
	_, err := client(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }).Get("http://x/")
	if !errors.Is(err, syscall.ECONNRESET) || !errors.Is(err, ErrConnReset) {
		t.Fatalf("err = %v, want ECONNRESET", err)
	}
	if !strings.Contains(err.Error(), "memhttp: connection reset") {
		t.Errorf("message %q", err)
	}
}

func TestAbortMidBody(t *testing.T) {
	resp, err := client(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "partial")
		panic(http.ErrAbortHandler)
	}).Get("http://x/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if string(body) != "partial" || !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("body %q, err %v", body, err)
	}
}

func TestOtherPanic(t *testing.T) {
	_, err := client(func(http.ResponseWriter, *http.Request) { panic("boom") }).Get("http://x/")
	if err == nil || !strings.Contains(err.Error(), "boom") || !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("err = %v", err)
	}
}

func TestNilHandler(t *testing.T) {
	_, err := (&http.Client{Transport: &Transport{}}).Get("http://x/")
	if err == nil {
		t.Fatal("nil Handler: no error")
	}
}

func TestCanceledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://x/", nil)
	_, err := client(func(http.ResponseWriter, *http.Request) { t.Error("handler called") }).Do(req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestStreamsWithoutBuffering proves the body is streamed: the handler
// writes its second chunk only after the client has read the first,
// which would deadlock if the transport buffered the whole response.
func TestStreamsWithoutBuffering(t *testing.T) {
	read := make(chan struct{})
	resp, err := client(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "first")
		<-read
		_, _ = io.WriteString(w, "second")
	}).Get("http://x/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
		t.Fatalf("first chunk %q, %v", buf, err)
	}
	close(read)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "second" {
		t.Fatalf("rest %q, %v", rest, err)
	}
}

// TestBodyCloseStopsHandler proves closing the body cancels the handler
// and waits for it: no goroutine outlives Close (goleak checks too).
func TestBodyCloseStopsHandler(t *testing.T) {
	returned := make(chan struct{})
	resp, err := client(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		chunk := make([]byte, 1024)
		for {
			if _, err := w.Write(chunk); err != nil {
				if r.Context().Err() == nil {
					t.Error("handler context not cancelled after Close")
				}
				return
			}
		}
	}).Get("http://x/")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(io.Discard, resp.Body, 10<<20); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case <-returned:
	default:
		t.Fatal("Body.Close returned before the handler")
	}
	resp.Body.Close() // idempotent
}

func TestContextDuringBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://x/", nil)
		resp, err := client(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "head")
			<-r.Context().Done()
		}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if string(body) != "head" || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("body %q, err %v", body, err)
		}
	})
}

// TestVirtualTime shows the transport blocks durably: a handler waiting
// an hour on a timer, and a handler waiting for its context, complete at
// once in virtual time.
func TestVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := client(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/hang" {
				<-r.Context().Done()
				return
			}
			timer := time.NewTimer(time.Hour)
			defer timer.Stop()
			select {
			case <-timer.C:
				_, _ = io.WriteString(w, "late")
			case <-r.Context().Done():
			}
		})
		start := time.Now()
		resp, err := c.Get("http://x/slow")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "late" || time.Since(start) != time.Hour {
			t.Errorf("body %q after %v", body, time.Since(start))
		}

		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://x/hang", nil)
		start = time.Now()
		if _, err := c.Do(req); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v", err)
		}
		if got := time.Since(start); got != 5*time.Second {
			t.Errorf("hang ended after %v", got)
		}
	})
}

func TestRequestBodyClosed(t *testing.T) {
	rb := &closeTracker{Reader: strings.NewReader("abc")}
	req, _ := http.NewRequest(http.MethodPost, "http://x/", rb)
	resp, err := (&Transport{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !rb.closed {
		t.Error("request body not closed")
	}
}

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }
