package interop

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// tokenCase is one hostile token response to the password grant.
type tokenCase struct {
	name   string
	status int
	body   string
	// check judges SystemSession.Token's outcome; nil means success with
	// a lifetime in (0, maxTokenLifetime] and a working API call.
	check func(t *testing.T, tok *oauth2.Token, err error, sent, got time.Time)
	// requests is how many token requests reach the gateway (0: 1).
	requests int
}

// tokenBody builds a token response from raw JSON members.
func tokenBody(members ...string) string { return "{" + strings.Join(members, ",") + "}" }

const (
	goodToken   = `"access_token":"` + hostileToken + `"`
	goodExpires = `"expires_in":3599`
)

// TestHostileTokenMembers: every member of a token response at its worst.
// expires_in never makes a token valid forever or already stale, and one
// that is not a number or a numeric string, like a bad access_token, is
// ErrMalformedResponse after one request (docs/failures.md token table); token_type never changes how the token is sent; nothing is
// printed.
func TestHostileTokenMembers(t *testing.T) {
	malformed := wantHostileErr(telenor.ErrMalformedResponse)
	cases := []tokenCase{
		{"expires_in negative", 200, tokenBody(goodToken, `"expires_in":-3599`), lifetime(telenor.DefaultTokenLifetime), 0},
		{"expires_in huge", 200, tokenBody(goodToken, `"expires_in":99999999999`), lifetime(maxTokenLifetime), 0},
		// Beyond int64 or with an exponent x/oauth2 cannot read it:
		// ErrMalformedResponse, never "valid forever" (docs/failures.md token table).
		{"expires_in beyond int64", 200, tokenBody(goodToken, `"expires_in":99999999999999999999999`), malformed, 0},
		{"expires_in 1e308", 200, tokenBody(goodToken, `"expires_in":1e308`), malformed, 0},
		{"expires_in string", 200, tokenBody(goodToken, `"expires_in":"3599"`), lifetime(3599 * time.Second), 0},
		// Not a number or a numeric string: ErrMalformedResponse since
		// x/oauth2 decodes the answer (CHANGELOG; docs/failures.md token table).
		{"expires_in garbage string", 200, tokenBody(goodToken, `"expires_in":"\u0000\r\n1"`), malformed, 0},
		{"expires_in float", 200, tokenBody(goodToken, `"expires_in":3599.9`), malformed, 0},
		{"expires_in null", 200, tokenBody(goodToken, `"expires_in":null`), lifetime(telenor.DefaultTokenLifetime), 0},
		{"expires_in object", 200, tokenBody(goodToken, `"expires_in":{"s":1}`), malformed, 0},
		{"expires_in true", 200, tokenBody(goodToken, `"expires_in":true`), malformed, 0},
		{"expires_in twice", 200, tokenBody(goodToken, `"expires_in":1`, `"expires_in":3599`), nil, 0},
		{"access_token empty", 200, tokenBody(`"access_token":""`, goodExpires), malformed, 0},
		{"access_token missing", 200, tokenBody(goodExpires, `"token_type":"bearer"`), malformed, 0},
		{"access_token null", 200, tokenBody(`"access_token":null`, goodExpires), malformed, 0},
		{"access_token number", 200, tokenBody(`"access_token":12345`, goodExpires), malformed, 0},
		{"access_token object", 200, tokenBody(`"access_token":{"t":"`+hostileToken+`"}`, goodExpires), malformed, 0},
		{"access_token array", 200, tokenBody(`"access_token":["`+hostileToken+`"]`, goodExpires), malformed, 0},
		{"access_token over 64 KiB", 200, tokenBody(`"access_token":"`+hostileToken+strings.Repeat("t", 70<<10)+`"`, goodExpires), malformed, 0},
		{"access_token with CRLF", 200, tokenBody(`"access_token":"`+hostileToken+`\r\nX-Injected: 1"`, goodExpires), noInjection, 0},
		{"access_token with NUL and ESC", 200, tokenBody(`"access_token":"`+hostileToken+`\u0000\u001b[2J"`, goodExpires), noInjection, 0},
		{"token_type mac", 200, tokenBody(goodToken, goodExpires, `"token_type":"mac"`), nil, 0},
		{"token_type empty", 200, tokenBody(goodToken, goodExpires, `"token_type":""`), nil, 0},
		{"token_type with CRLF", 200, tokenBody(goodToken, goodExpires, `"token_type":"Bearer\r\nX-Injected: 1"`), nil, 0},
		{"token_type number", 200, tokenBody(goodToken, goodExpires, `"token_type":7`), anyOutcome, 0},
		{"every member duplicated", 200, `{"access_token":"a","access_token":"` + hostileToken + `","expires_in":5,"expires_in":3599}`, anyOutcome, 0},
		{"error and access_token", 200, tokenBody(goodToken, goodExpires, `"error":"invalid_grant"`), anyOutcome, 0},
	}
	runTokenCases(t, cases)
}

// runTokenCases runs each case against a fresh SystemSession of one
// gateway.
func runTokenCases(t *testing.T, cases []tokenCase) {
	t.Helper()
	h := newHostileNet(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.reset()
			h.answer(telenortest.PasswordTokenPath, func(w http.ResponseWriter, r *http.Request) {
				writeBody(w, tc.status, "application/json", tc.body)
			})
			var logs logBuffer
			sys := h.client(t, &logs).PasswordGrant(hostileUser, hostilePassword)
			sent := time.Now()
			tok, err := sys.Token(t.Context())
			got := time.Now()
			check := tc.check
			if check == nil {
				check = sane
			}
			check(t, tok, err, sent, got)
			if err == nil {
				checkAPIUses(t, h, sys, tok)
			}
			want := max(tc.requests, 1)
			if n := h.hits.get(telenortest.PasswordTokenPath); n != want {
				t.Errorf("token requests = %d, want %d", n, want)
			}
			checkNoSecrets(t, hostileSecrets(), err, logs.String())
		})
	}
}

// checkAPIUses calls the API with the cached token and checks what went
// on the wire: "Bearer " and the token, nothing injected.
func checkAPIUses(t *testing.T, h *hostileNet, sys *telenor.SystemSession, tok *oauth2.Token) {
	t.Helper()
	var seen string
	h.answer(telenortest.OrganizationsPath, func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Get("Authorization")
		if r.Header.Get("X-Injected") != "" {
			seen = "INJECTED"
		}
		writeBody(w, http.StatusOK, "application/json", `[]`)
	})
	_, err := sys.Organizations(t.Context())
	if seen == "INJECTED" {
		t.Fatal("a header injected through the token response reached the API")
	}
	if err == nil && seen != "Bearer "+tok.AccessToken {
		t.Errorf("Authorization = %q, want \"Bearer \" and the token, whatever token_type said", seen)
	}
}

// sane: success, and a lifetime that is neither zero nor forever.
func sane(t *testing.T, tok *oauth2.Token, err error, sent, got time.Time) {
	t.Helper()
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if !tok.Expiry.After(got) || tok.Expiry.After(sent.Add(maxTokenLifetime)) {
		t.Errorf("Expiry %v: not within (now, now+24h]", tok.Expiry)
	}
}

func lifetime(life time.Duration) func(*testing.T, *oauth2.Token, error, time.Time, time.Time) {
	return wantLifetime(life)
}

func wantHostileErr(target error) func(*testing.T, *oauth2.Token, error, time.Time, time.Time) {
	return func(t *testing.T, tok *oauth2.Token, err error, _, _ time.Time) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("got (%v, %v), want an error matching %v", tok != nil, err, target)
		}
	}
}

// noInjection: any outcome but a token that carries control characters.
func noInjection(t *testing.T, tok *oauth2.Token, err error, _, _ time.Time) {
	t.Helper()
	if err == nil && strings.ContainsAny(tok.AccessToken, "\r\n\x00\x1b") {
		t.Logf("the token with control characters was accepted; the API call must not send it as is")
	}
}

// anyOutcome: unsettled; only the common checks (no secret, no panic,
// request count, a working token if accepted) apply.
func anyOutcome(*testing.T, *oauth2.Token, error, time.Time, time.Time) {}
