package telenortest

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestTokenExpiresInFormats(t *testing.T) {
	tests := []struct {
		name     string
		opts     []Option
		expires  string // expected raw JSON of expires_in; "" means absent
		lifetime time.Duration
	}{
		{"default number", nil, `3599`, DefaultExpiresIn},
		{"lifetime", []Option{WithTokenLifetime(90*time.Second + 900*time.Millisecond)}, `90`, 90*time.Second + 900*time.Millisecond},
		{"string", []Option{WithExpiresInString()}, `"3599"`, DefaultExpiresIn},
		{"raw zero", []Option{WithRawExpiresIn(`0`)}, `0`, DefaultExpiresIn},
		{"raw negative", []Option{WithRawExpiresIn(`-5`)}, `-5`, DefaultExpiresIn},
		{"raw text", []Option{WithRawExpiresIn(`"abc"`)}, `"abc"`, DefaultExpiresIn},
		{"raw huge", []Option{WithRawExpiresIn(`1e30`)}, `1e30`, DefaultExpiresIn},
		{"raw omitted", []Option{WithRawExpiresIn(``)}, ``, DefaultExpiresIn},
		{"last wins", []Option{WithRawExpiresIn(`7`), WithExpiresInString()}, `"3599"`, DefaultExpiresIn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := NewServer(tt.opts...)
			defer srv.Close()
			resp, body := postToken(t, srv, PasswordTokenPath, passwordForm())
			wantStatus(t, resp, body, http.StatusOK)
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q", cc)
			}
			token, _ := decode(t, body)["access_token"].(string)
			if _, err := hex.DecodeString(token); len(token) != 40 || err != nil {
				t.Fatalf("access_token %q is not 40 hex characters", token)
			}
			want := `{"access_token":"` + token + `"`
			if tt.expires != "" {
				want += `,"expires_in":` + tt.expires
			}
			want += "}"
			if string(body) != want {
				t.Errorf("body = %s, want %s", body, want)
			}
			info, ok := srv.LookupToken(token)
			if !ok {
				t.Fatal("LookupToken: token not recorded")
			}
			if info.Subject != DefaultUsername || info.ClientID != DefaultClientID || info.Revoked {
				t.Errorf("TokenInfo = %+v", info)
			}
			if got := info.ExpiresAt.Sub(info.IssuedAt); got != tt.lifetime {
				t.Errorf("recorded lifetime = %v, want %v", got, tt.lifetime)
			}
		})
	}
}

func TestTokenBothPaths(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	for _, path := range []string{PasswordTokenPath, TokenPath, TokenPath} {
		resp, body := postToken(t, srv, path, passwordForm())
		wantStatus(t, resp, body, http.StatusOK)
	}
	if got := srv.Requests(PasswordTokenPath); got != 1 {
		t.Errorf("Requests(%s) = %d, want 1", PasswordTokenPath, got)
	}
	if got := srv.Requests(TokenPath); got != 2 {
		t.Errorf("Requests(%s) = %d, want 2", TokenPath, got)
	}
	if got := srv.TokenRequests(); got != 3 {
		t.Errorf("TokenRequests() = %d, want 3", got)
	}
}

func TestTokenInvalidClient(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tests := []struct {
		name string
		edit func(*http.Request)
	}{
		{"wrong secret", func(r *http.Request) { r.SetBasicAuth(DefaultClientID, "nope") }},
		{"unknown client", func(r *http.Request) { r.SetBasicAuth("someone", DefaultClientSecret) }},
		{"empty secret", func(r *http.Request) { r.SetBasicAuth(DefaultClientID, "") }},
		{"bad escape", func(r *http.Request) { r.SetBasicAuth(DefaultClientID+"%zz", DefaultClientSecret) }},
		{"no auth", func(r *http.Request) { r.Header.Del("Authorization") }},
		{"bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tokenRequest(t, context.Background(), srv.URL, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
			tt.edit(req)
			resp, body := do(t, srv.Client(), req)
			wantStatus(t, resp, body, http.StatusUnauthorized)
			if string(body) != invalidClientBody {
				t.Errorf("body = %s", body)
			}
			m := decode(t, body)
			if m["errorCode"] != float64(40108) || m["error"] != "invalid_client" {
				t.Errorf("body = %v", m)
			}
		})
	}
}

func TestTokenGrantErrors(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	with := func(k, v string) url.Values {
		f := passwordForm()
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	repeated := passwordForm()
	repeated.Add("username", DefaultUsername)
	tests := []struct {
		name, code, desc string
		form             url.Values
	}{
		{"wrong password", "invalid_grant", "Invalid username or password", with("password", "nope")},
		{"unknown user", "invalid_grant", "Invalid username or password", with("username", "API9999XYZ")},
		{"missing username", "invalid_request", "Missing username", with("username", "")},
		{"missing password", "invalid_request", "Missing password", with("password", "")},
		{"missing grant_type", "invalid_request", "Missing grant_type", with("grant_type", "")},
		{"unknown grant", "unsupported_grant_type", "Unsupported grant_type: client_credentials", with("grant_type", "client_credentials")},
		{"repeated parameter", "invalid_request", "Repeated parameter: username", repeated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := postToken(t, srv, PasswordTokenPath, tt.form)
			wantStatus(t, resp, body, http.StatusBadRequest)
			m := decode(t, body)
			if m["error"] != tt.code || m["error_description"] != tt.desc {
				t.Errorf("body = %s, want error %q description %q", body, tt.code, tt.desc)
			}
		})
	}
}

func TestTokenContentType(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	for _, tt := range []struct {
		ctype string
		want  int
	}{
		{"application/json", http.StatusBadRequest},
		{"", http.StatusBadRequest},
		{"text/plain", http.StatusBadRequest},
		{"application/x-www-form-urlencoded; charset=utf-8", http.StatusOK},
	} {
		req := tokenRequest(t, context.Background(), srv.URL, PasswordTokenPath, passwordForm(), DefaultClientID, DefaultClientSecret)
		req.Header.Set("Content-Type", tt.ctype)
		resp, body := do(t, srv.Client(), req)
		wantStatus(t, resp, body, tt.want)
		if tt.want == http.StatusBadRequest {
			if m := decode(t, body); m["error"] != "invalid_request" {
				t.Errorf("Content-Type %q: body = %s", tt.ctype, body)
			}
		}
	}
}

func TestTokenBodyTooLarge(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	form := passwordForm()
	form.Set("padding", strings.Repeat("x", maxFormBytes))
	resp, body := postToken(t, srv, PasswordTokenPath, form)
	wantStatus(t, resp, body, http.StatusRequestEntityTooLarge)
}

func TestTokenMethodNotAllowed(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(method, srv.URL+TokenPath, nil)
		resp, body := do(t, srv.Client(), req)
		wantStatus(t, resp, body, http.StatusMethodNotAllowed)
		if allow := resp.Header.Get("Allow"); allow != http.MethodPost {
			t.Errorf("%s: Allow = %q", method, allow)
		}
	}
	if got := srv.Requests(TokenPath); got != 3 {
		t.Errorf("Requests = %d, want 3", got)
	}
}

func TestClientsAndUsers(t *testing.T) {
	srv := NewServer(
		WithClient("app one", "s&cr=t +%/"),
		WithClient("app-two", "two"),
		WithSystemUser("API1000ABC", "pw1"),
		WithSystemUser("API1000DEF", "pw2"),
	)
	defer srv.Close()
	form := func(user, pw string) url.Values {
		return url.Values{"grant_type": {"password"}, "username": {user}, "password": {pw}}
	}
	for _, tt := range []struct {
		id, secret, user, pw string
		want                 int
	}{
		{"app one", "s&cr=t +%/", "API1000ABC", "pw1", http.StatusOK},
		{"app-two", "two", "API1000DEF", "pw2", http.StatusOK},
		{DefaultClientID, DefaultClientSecret, "API1000ABC", "pw1", http.StatusUnauthorized},
		{"app-two", "two", DefaultUsername, DefaultPassword, http.StatusBadRequest},
	} {
		req := tokenRequest(t, context.Background(), srv.URL, TokenPath, form(tt.user, tt.pw), tt.id, tt.secret)
		resp, body := do(t, srv.Client(), req)
		wantStatus(t, resp, body, tt.want)
		if tt.want == http.StatusOK {
			info, ok := srv.LookupToken(decode(t, body)["access_token"].(string))
			if !ok || info.ClientID != tt.id || info.Subject != tt.user {
				t.Errorf("LookupToken = %+v, %v", info, ok)
			}
		}
	}
}

func TestOAuth2PasswordCredentials(t *testing.T) {
	for _, opt := range []Option{WithExpiresInString(), WithTokenLifetime(time.Hour)} {
		srv := NewServer(opt, WithClient("my client:1", "p@ss word&=+"))
		conf := &oauth2.Config{
			ClientID:     "my client:1",
			ClientSecret: "p@ss word&=+",
			Endpoint: oauth2.Endpoint{
				TokenURL:  srv.URL + PasswordTokenPath,
				AuthStyle: oauth2.AuthStyleInHeader,
			},
		}
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
		before := time.Now()
		tok, err := conf.PasswordCredentialsToken(ctx, DefaultUsername, DefaultPassword)
		if err != nil {
			t.Fatalf("PasswordCredentialsToken: %v", err)
		}
		info, ok := srv.LookupToken(tok.AccessToken)
		if !ok || info.ClientID != "my client:1" || info.Subject != DefaultUsername {
			t.Errorf("LookupToken = %+v, %v", info, ok)
		}
		if !tok.Expiry.After(before) {
			t.Errorf("Expiry = %v, want after %v", tok.Expiry, before)
		}

		_, err = conf.PasswordCredentialsToken(ctx, DefaultUsername, "wrong")
		re, ok := err.(*oauth2.RetrieveError)
		if !ok || re.ErrorCode != "invalid_grant" || re.Response.StatusCode != http.StatusBadRequest {
			t.Errorf("wrong password: err = %v", err)
		}
		conf.ClientSecret = "wrong"
		_, err = conf.PasswordCredentialsToken(ctx, DefaultUsername, DefaultPassword)
		if re, ok := err.(*oauth2.RetrieveError); !ok || re.ErrorCode != "invalid_client" {
			t.Errorf("wrong secret: err = %v", err)
		}
		srv.Close()
	}
}

func TestTokenStore(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	issue := func() string {
		_, body := postToken(t, srv, PasswordTokenPath, passwordForm())
		return decode(t, body)["access_token"].(string)
	}
	a := issue()
	srv.SetTokenLifetime(10 * time.Second)
	b := issue()
	_, body := postToken(t, srv, PasswordTokenPath, passwordForm())
	if m := decode(t, body); m["expires_in"] != float64(10) {
		t.Errorf("after SetTokenLifetime: body %s", body)
	}

	ia, _ := srv.LookupToken(a)
	ib, _ := srv.LookupToken(b)
	if got := ia.ExpiresAt.Sub(ia.IssuedAt); got != DefaultExpiresIn {
		t.Errorf("old token lifetime = %v", got)
	}
	if got := ib.ExpiresAt.Sub(ib.IssuedAt); got != 10*time.Second {
		t.Errorf("new token lifetime = %v", got)
	}
	if ia.Expired(time.Now()) || ia.Revoked {
		t.Errorf("fresh token: %+v", ia)
	}

	srv.Revoke(a)
	srv.Expire(b)
	srv.Revoke("unknown")
	srv.Expire("unknown")
	ia, _ = srv.LookupToken(a)
	ib, _ = srv.LookupToken(b)
	if !ia.Revoked || ia.Expired(time.Now()) {
		t.Errorf("revoked token: %+v", ia)
	}
	if ib.Revoked || !ib.Expired(time.Now()) {
		t.Errorf("expired token: %+v", ib)
	}
	if _, ok := srv.LookupToken("unknown"); ok {
		t.Error("LookupToken(unknown) found a token")
	}
}
