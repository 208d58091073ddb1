package telenortest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// apiGet sends GET path to srv with an optional Bearer token.
func apiGet(t *testing.T, srv *Server, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, srv.Client(), req)
}

// wantCode fails the test unless body is a Telenor error with code.
func wantCode(t *testing.T, body []byte, code int) {
	t.Helper()
	if got := decode(t, body)["errorCode"]; got != float64(code) {
		t.Fatalf("errorCode = %v, want %d; body %s", got, code, body)
	}
}

func TestUserInfoForSubscriber(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	resp, body := apiGet(t, srv, UserInfoPath, srv.IssueUserToken())
	wantStatus(t, resp, body, http.StatusOK)
	m := decode(t, body)
	if m["mobileNumber"] != "4790012345" || m["birthDate"] != "1985-04-17" {
		t.Errorf("body = %s", body)
	}
	addr := m["address"].(map[string]any)
	if addr["streetAddress"] != "Snarøyveien" || addr["formattedAddress"] != "Snarøyveien 30 A, 1360 Fornebu" {
		t.Errorf("address = %v", addr)
	}
	if name := m["name"].(map[string]any); name["givenName"] != "Kari" {
		t.Errorf("name = %v", name)
	}
}

func TestDeviceInfoForSubscriber(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	resp, body := apiGet(t, srv, DeviceInfoPath, srv.IssueUserToken())
	wantStatus(t, resp, body, http.StatusOK)
	m := decode(t, body)
	caps := m["capabilities"].(map[string]any)
	if m["tac"] != "35407115" || caps["lteAdvanced"] != true || caps["volte"] != true {
		t.Errorf("body = %s", body)
	}
}

func TestMobileUserAPIRejectsBadTokens(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	revoked, expired := srv.IssueUserToken(), srv.IssueUserToken()
	srv.Revoke(revoked)
	srv.Expire(expired)
	for _, path := range []string{UserInfoPath, DeviceInfoPath, LogoutPath} {
		for _, tc := range []struct {
			token string
			code  int
		}{{"", 40102}, {"not-a-token", 40105}, {revoked, 40105}, {expired, 40106}} {
			resp, body := apiGet(t, srv, path, tc.token)
			wantStatus(t, resp, body, http.StatusUnauthorized)
			wantCode(t, body, tc.code)
		}
	}
}

func TestMobileUserAPIRefusesSystemUserToken(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	resp, body := postToken(t, srv, PasswordTokenPath, passwordForm())
	wantStatus(t, resp, body, http.StatusOK)
	token := decode(t, body)["access_token"].(string)
	for _, path := range []string{UserInfoPath, DeviceInfoPath} {
		resp, body := apiGet(t, srv, path, token)
		wantStatus(t, resp, body, http.StatusForbidden)
		wantCode(t, body, 40301)
	}
}

func TestLogoutRevokesToken(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	token := srv.IssueUserToken()
	resp, body := apiGet(t, srv, LogoutPath, token)
	wantStatus(t, resp, body, http.StatusOK)
	if string(body) != "OK!" || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("logout answered %q (%s)", body, resp.Header.Get("Content-Type"))
	}
	if info, _ := srv.LookupToken(token); !info.Revoked {
		t.Error("token not revoked")
	}
	resp, body = apiGet(t, srv, UserInfoPath, token)
	wantStatus(t, resp, body, http.StatusUnauthorized)
	wantCode(t, body, 40105)
}

func TestRedirectFault(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	srv.Fail(UserInfoPath, 1, Fault{Redirect: other.URL + "/elsewhere"})
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+UserInfoPath, nil)
	resp, body := do(t, c, req)
	wantStatus(t, resp, body, http.StatusFound)
	if loc := resp.Header.Get("Location"); loc != other.URL+"/elsewhere" {
		t.Errorf("Location = %q", loc)
	}
}

func TestSubscriberFullName(t *testing.T) {
	for _, tt := range []struct {
		sub  Subscriber
		want string
	}{
		{Subscriber{GivenName: "Kari", FamilyName: "Nordmann"}, "Kari Nordmann"},
		{Subscriber{GivenName: " Ola", MiddleName: "Johan", FamilyName: "Nordmann "}, "Ola Johan Nordmann"},
		{Subscriber{}, ""},
	} {
		if got := tt.sub.FullName(); got != tt.want {
			t.Errorf("FullName() = %q, want %q", got, tt.want)
		}
	}
}
