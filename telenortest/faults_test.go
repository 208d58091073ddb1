package telenortest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultBodies(t *testing.T) {
	tests := []struct {
		name      string
		fault     Fault
		status    int
		ctype     string
		body      string // exact body, if not empty
		wantEmpty bool
	}{
		{
			name:   "telenor",
			fault:  Fault{Status: 429, Code: 42902, Message: "Too many requests"},
			status: 429, ctype: "application/json",
			body: `{"httpStatus":429,"httpMessage":"Too Many Requests","description":"Too many requests","errorCode":42902}`,
		},
		{
			name:   "telenor default message",
			fault:  Fault{Status: 503, Code: 50301},
			status: 503, ctype: "application/json",
			body: `{"httpStatus":503,"httpMessage":"Service Unavailable","description":"Service Unavailable","errorCode":50301}`,
		},
		{
			name:   "apigee with code",
			fault:  Fault{Status: 429, Code: 42902, Message: "Rate limit quota violation", Shape: ShapeApigee},
			status: 429, ctype: "application/json",
			body: `{"fault":{"faultstring":"Rate limit quota violation","detail":{"errorcode":"42902"}}}`,
		},
		{
			name:   "apigee policy name",
			fault:  Fault{Status: 429, Message: "Rate limit quota violation", Shape: ShapeApigee},
			status: 429, ctype: "application/json",
			body: `{"fault":{"faultstring":"Rate limit quota violation","detail":{"errorcode":"policies.ratelimit.QuotaViolation"}}}`,
		},
		{
			name:   "oauth",
			fault:  Fault{Status: 503, Message: "try later", Shape: ShapeOAuth},
			status: 503, ctype: "application/json",
			body: `{"error":"temporarily_unavailable","error_description":"try later"}`,
		},
		{
			name:   "oauth 500",
			fault:  Fault{Status: 500, Shape: ShapeOAuth},
			status: 500, ctype: "application/json",
			body: `{"error":"server_error","error_description":"Internal Server Error"}`,
		},
		{
			name:   "html",
			fault:  Fault{Status: 502, Message: "<upstream> down", Shape: ShapeHTML},
			status: 502, ctype: "text/html; charset=utf-8",
		},
		{
			name:   "200 malformed json",
			fault:  Fault{Status: 200, Shape: ShapeMalformedJSON},
			status: 200, ctype: "application/json",
			body: `{"access_token":"abc","expi`,
		},
		{
			name:   "200 html",
			fault:  Fault{Status: 200, Shape: ShapeHTML},
			status: 200, ctype: "text/html; charset=utf-8",
		},
		{
			name:   "200 empty",
			fault:  Fault{Status: 200, Shape: ShapeEmpty},
			status: 200, wantEmpty: true,
		},
		{
			name:   "exact body",
			fault:  Fault{Status: 400, Body: "nope", ContentType: "text/plain"},
			status: 400, ctype: "text/plain", body: "nope",
		},
		{
			name:   "body without status",
			fault:  Fault{Body: `{"access_token":7}`},
			status: 200, ctype: "application/json", body: `{"access_token":7}`,
		},
		{
			name:   "content type override",
			fault:  Fault{Status: 401, Shape: ShapeOAuth, ContentType: "application/json;charset=UTF-8"},
			status: 401, ctype: "application/json;charset=UTF-8",
			body: `{"error":"invalid_client","error_description":"Unauthorized"}`,
		},
	}
	srv := NewServer()
	defer srv.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Fail(PasswordTokenPath, 1, tt.fault)
			resp, body := postToken(t, srv, PasswordTokenPath, passwordForm())
			wantStatus(t, resp, body, tt.status)
			if ct := resp.Header.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			switch {
			case tt.body != "" && string(body) != tt.body:
				t.Errorf("body = %s\nwant   %s", body, tt.body)
			case tt.wantEmpty && len(body) != 0:
				t.Errorf("body = %q, want empty", body)
			case tt.fault.Shape == ShapeHTML && !strings.Contains(string(body), "<html>"):
				t.Errorf("body = %q, want an HTML page", body)
			}
			if tt.fault.Shape == ShapeHTML && strings.Contains(string(body), "<upstream>") {
				t.Errorf("HTML body does not escape the message: %s", body)
			}
		})
	}
}

func TestFaultRetryAfter(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(TokenPath, 1, Fault{Status: 429, Code: 42902, RetryAfter: "120"})
	srv.Fail(TokenPath, 1, Fault{RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"})

	resp, body := postToken(t, srv, TokenPath, passwordForm())
	wantStatus(t, resp, body, 429)
	if got := resp.Header.Get("Retry-After"); got != "120" {
		t.Errorf("Retry-After = %q", got)
	}
	// A fault with only RetryAfter decorates the normal answer.
	resp, body = postToken(t, srv, TokenPath, passwordForm())
	wantStatus(t, resp, body, 200)
	if got := resp.Header.Get("Retry-After"); got != "Wed, 21 Oct 2015 07:28:00 GMT" {
		t.Errorf("Retry-After = %q", got)
	}
}

func TestFaultQueueAndCounters(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(PasswordTokenPath, 2, Fault{Status: 503})
	srv.Fail(PasswordTokenPath, 1, Fault{Status: 502})
	srv.Fail(PasswordTokenPath, 0, Fault{Status: 500})  // no-op
	srv.Fail(PasswordTokenPath, -1, Fault{Status: 500}) // no-op
	srv.Fail("/elsewhere", 5, Fault{Status: 500})

	var got []int
	for range 4 {
		resp, _ := postToken(t, srv, PasswordTokenPath, passwordForm())
		got = append(got, resp.StatusCode)
	}
	want := []int{503, 503, 502, 200}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses = %v, want %v", got, want)
		}
	}
	if n := srv.Requests(PasswordTokenPath); n != 4 {
		t.Errorf("Requests = %d, want 4 (faulted requests count)", n)
	}
	if n := srv.TokenRequests(); n != 4 {
		t.Errorf("TokenRequests = %d, want 4", n)
	}
	if n := srv.Requests("/elsewhere"); n != 0 {
		t.Errorf("Requests(/elsewhere) = %d", n)
	}
}

func TestFailPanicsOnInvalidFault(t *testing.T) {
	srv := NewUnstartedServer()
	defer srv.Close()
	for _, f := range []Fault{{Status: 42}, {Status: 1000}, {Shape: ShapeEmpty + 1}, {Shape: -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Fail(%+v) did not panic", f)
				}
			}()
			srv.Fail(TokenPath, 1, f)
		}()
	}
}

func TestFaultDelayThenNormal(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(PasswordTokenPath, 1, Fault{Delay: time.Millisecond})
	resp, body := postToken(t, srv, PasswordTokenPath, passwordForm())
	wantStatus(t, resp, body, http.StatusOK)
	if _, ok := srv.LookupToken(decode(t, body)["access_token"].(string)); !ok {
		t.Error("token after delay not recorded")
	}
}

func TestFaultDelayThenStatus(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(PasswordTokenPath, 1, Fault{Delay: time.Millisecond, Status: 504, Shape: ShapeApigee})
	resp, body := postToken(t, srv, PasswordTokenPath, passwordForm())
	wantStatus(t, resp, body, http.StatusGatewayTimeout)
}

func TestFaultReset(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(PasswordTokenPath, 1, Fault{Reset: true})
	req := tokenRequest(t, context.Background(), srv.URL, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("Reset fault: got status %d, want a transport error", resp.StatusCode)
	}
	// The server keeps working afterwards.
	resp2, body := postToken(t, srv, PasswordTokenPath, passwordForm())
	wantStatus(t, resp2, body, http.StatusOK)
	if n := srv.Requests(PasswordTokenPath); n != 2 {
		t.Errorf("Requests = %d, want 2", n)
	}
}

func TestFaultHangEndsWithClientContext(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(PasswordTokenPath, 1, Fault{Hang: true})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		req := tokenRequest(t, ctx, srv.URL, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitUntil(func() bool { return srv.Requests(PasswordTokenPath) == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Do: err = %v, want context.Canceled", err)
	}
	// The hung handler returns because the client went away, before and
	// independently of Close.
	srv.active.Wait()
}

func TestCloseUnblocksHungAndDelayedHandlers(t *testing.T) {
	for _, f := range []Fault{{Hang: true}, {Delay: time.Hour}, {Delay: time.Hour, Hang: true}} {
		srv := NewServer()
		srv.Fail(PasswordTokenPath, 1, f)
		errc := make(chan error, 1)
		go func() {
			req := tokenRequest(t, context.Background(), srv.URL, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
			resp, err := srv.Client().Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		waitUntil(func() bool { return srv.Requests(PasswordTokenPath) == 1 })
		srv.Close() // returns only once the handler has returned
		srv.Close() // idempotent
		if err := <-errc; err == nil {
			t.Errorf("%+v: request succeeded after Close, want an error", f)
		}
	}
}

func TestFaultSizeStreams(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	const size = 10 << 20
	srv.Fail(PasswordTokenPath, 1, Fault{Status: 200, Size: size})
	req := tokenRequest(t, context.Background(), srv.URL, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.ContentLength != -1 {
		t.Errorf("ContentLength = %d, want -1 (unknown)", resp.ContentLength)
	}
	prefix := make([]byte, 20)
	if _, err := io.ReadFull(resp.Body, prefix); err != nil {
		t.Fatal(err)
	}
	if string(prefix) != `{"access_token":"aaa` {
		t.Errorf("body starts %q", prefix)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || n+int64(len(prefix)) != size {
		t.Errorf("read %d bytes, err %v; want %d", n+int64(len(prefix)), err, size)
	}
}

func TestFaultSizeSmallerThanPrefix(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(TokenPath, 1, Fault{Status: 500, Size: 5, ContentType: "text/plain"})
	resp, body := postToken(t, srv, TokenPath, passwordForm())
	wantStatus(t, resp, body, 500)
	if string(body) != `{"acc` || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("body %q, Content-Type %q", body, resp.Header.Get("Content-Type"))
	}
}

func TestFaultSizeClientHangsUp(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail(PasswordTokenPath, 1, Fault{Size: 1 << 40}) // 1 TiB: only streaming can serve it
	req := tokenRequest(t, context.Background(), srv.URL, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(io.Discard, resp.Body, 1<<20); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	srv.active.Wait() // the streaming handler stops once the client is gone
}

func TestFaultsOnOtherPaths(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fail("/some/api", 1, Fault{Status: 401, Code: 40105, Message: "Token revoked"})
	resp, body := do(t, srv.Client(), must(http.NewRequest(http.MethodGet, srv.URL+"/some/api", nil)))
	wantStatus(t, resp, body, 401)
	if !bytes.Contains(body, []byte(`"errorCode":40105`)) {
		t.Errorf("body = %s", body)
	}
	resp, body = do(t, srv.Client(), must(http.NewRequest(http.MethodGet, srv.URL+"/some/api", nil)))
	wantStatus(t, resp, body, 404)
	if n := srv.Requests("/some/api"); n != 2 {
		t.Errorf("Requests = %d", n)
	}
}
