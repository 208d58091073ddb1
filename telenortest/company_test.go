package telenortest

import (
	"encoding/json"
	"net/http"
	"testing"
)

// systemToken gets a token for the default system user.
func systemToken(t *testing.T, srv *Server) string {
	t.Helper()
	resp, body := postToken(t, srv, PasswordTokenPath, passwordForm())
	wantStatus(t, resp, body, http.StatusOK)
	return decode(t, body)["access_token"].(string)
}

func TestCompanyAPIRefusesUserAndMissingTokens(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	user := srv.IssueUserToken()
	for _, path := range []string{OrganizationsPath, AccountsPath, MobileSubscriptionsPath, AgreementsPath} {
		resp, body := apiGet(t, srv, path, user)
		wantStatus(t, resp, body, http.StatusForbidden)
		wantCode(t, body, 40301)
		resp, body = apiGet(t, srv, path, "")
		wantStatus(t, resp, body, http.StatusUnauthorized)
		wantCode(t, body, 40102)
	}
}

func TestCompanyAPIValidatesQuery(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := systemToken(t, srv)
	for _, q := range []string{"pageSize=0", "pageSize=1001", "pageSize=x", "page=-1", "page=1.5",
		"productId=1&since=60", "productId=abc", "since=-3", "ascending=maybe"} {
		resp, body := apiGet(t, srv, MobileSubscriptionsPath+"?"+q, tok)
		wantStatus(t, resp, body, http.StatusBadRequest)
		if decode(t, body)["httpStatus"] != float64(400) {
			t.Errorf("%s: body %s is not a Telenor error", q, body)
		}
	}
	resp, body := apiGet(t, srv, AccountsPath+"?pageSize=1001", tok)
	wantStatus(t, resp, body, http.StatusBadRequest)
}

func TestCompanyPagesAreGeneratedDeterministically(t *testing.T) {
	srv := NewServer(WithCompanyData(3, 100_000), WithPageEnvelope(EnvelopeObject))
	defer srv.Close()
	tok := systemToken(t, srv)
	resp, body := apiGet(t, srv, MobileSubscriptionsPath+"?page=99&pageSize=1000&ascending=false", tok)
	wantStatus(t, resp, body, http.StatusOK)
	var p struct {
		Content       []subscriptionJSON
		TotalElements int
		TotalPages    int
		Last          bool
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Content) != 1000 || p.TotalElements != 100_000 || p.TotalPages != 100 || !p.Last {
		t.Fatalf("page 99: %d items, total %d, pages %d, last %v", len(p.Content), p.TotalElements, p.TotalPages, p.Last)
	}
	if got, want := p.Content[999].MSISDN, SubscriptionMSISDN(0); got != want {
		t.Errorf("last item descending = %s, want %s", got, want)
	}
}

func TestCompanyBareArrayPastTheEnd(t *testing.T) {
	srv := NewServer(WithCompanyData(2, 5))
	defer srv.Close()
	tok := systemToken(t, srv)
	resp, body := apiGet(t, srv, AccountsPath+"?page=1&pageSize=2", tok)
	wantStatus(t, resp, body, http.StatusOK)
	if string(body) != "[]" {
		t.Errorf("page past the end = %s, want []", body)
	}
	resp, body = apiGet(t, srv, MobileSubscriptionsPath+"?page=2&pageSize=2", tok)
	wantStatus(t, resp, body, http.StatusOK)
	var items []subscriptionJSON
	if err := json.Unmarshal(body, &items); err != nil || len(items) != 1 || items[0].MSISDN != SubscriptionMSISDN(4) {
		t.Errorf("short last page = %s (%v)", body, err)
	}
}
