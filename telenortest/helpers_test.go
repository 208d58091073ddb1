package telenortest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// passwordForm is a valid password-grant form for the default user.
func passwordForm() url.Values {
	return url.Values{
		"grant_type": {"password"},
		"username":   {DefaultUsername},
		"password":   {DefaultPassword},
	}
}

// tokenRequest builds a token request with the given client credentials
// (escaped as golang.org/x/oauth2 does).
func tokenRequest(t *testing.T, ctx context.Context, base, path string, form url.Values, id, secret string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return req
}

// do sends req with c and returns the response with its body read.
func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, body
}

// postToken requests a token from srv for the default client.
func postToken(t *testing.T, srv *Server, path string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	req := tokenRequest(t, context.Background(), srv.URL, path, form, DefaultClientID, DefaultClientSecret)
	return do(t, srv.Client(), req)
}

// decode unmarshals body into a generic JSON object.
func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", body, err)
	}
	return m
}

// wantStatus fails the test unless resp has status want.
func wantStatus(t *testing.T, resp *http.Response, body []byte, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, want, body)
	}
}

// waitUntil polls cond until it holds. It asserts nothing about time;
// the test's own timeout bounds it.
func waitUntil(cond func() bool) {
	for !cond() {
		time.Sleep(time.Millisecond)
	}
}
