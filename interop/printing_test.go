package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// TestConfigNeverPrintsSecret: contract item 5. Every way an application
// prints or logs a Config keeps the client secret out.
func TestConfigNeverPrintsSecret(t *testing.T) {
	cfg := telenor.Config{ClientID: hostileClientID, ClientSecret: hostileSecret, BaseURL: "https://example.com"}
	var logs logBuffer
	logs.logger().Info("config", "cfg", cfg, "ptr", &cfg)
	b, err := json.Marshal(map[string]any{"telenor": cfg}) // as an application's own config would hold it
	if err != nil {
		t.Fatalf("json.Marshal(Config): %v", err)
	}
	for _, form := range []struct{ name, text string }{
		{"%v", fmt.Sprintf("%v", cfg)}, {"%+v", fmt.Sprintf("%+v", cfg)}, {"%#v", fmt.Sprintf("%#v", cfg)},
		{"%v of a pointer", fmt.Sprintf("%v", &cfg)}, {"%s", fmt.Sprintf("%s", cfg)},
		{"json.Marshal", string(b)}, {"slog", logs.String()},
	} {
		if strings.Contains(form.text, hostileSecret) {
			t.Errorf("contract item 5: %s of a Config shows ClientSecret: %s", form.name, form.text)
		}
	}
}

// TestHostileOversizedPages: contract item 12. A page holding more items
// than the page size asked for (or than MaxPageSize for an unpaged list)
// is ErrMalformedResponse, not millions of items.
func TestHostileOversizedPages(t *testing.T) {
	h := newHostileNet(t)
	items := func(n int) string {
		return "[" + strings.TrimSuffix(strings.Repeat(`{"orgNumber":"1"},`, n), ",") + "]"
	}
	t.Run("Organizations, MaxPageSize+1 items", func(t *testing.T) {
		h.reset()
		h.answer(telenortest.OrganizationsPath, func(w http.ResponseWriter, r *http.Request) {
			writeBody(w, 200, "application/json", items(telenor.MaxPageSize+1))
		})
		var logs logBuffer
		orgs, err := h.client(t, &logs).PasswordGrant(hostileUser, hostilePassword).Organizations(t.Context())
		if !errors.Is(err, telenor.ErrMalformedResponse) {
			t.Errorf("contract item 12: got %d organizations and %v, want ErrMalformedResponse", len(orgs), err)
		}
		checkNoSecrets(t, hostileSecrets(), err, logs.String())
	})
	t.Run("MobileSubscriptions, page of 10 holding 11", func(t *testing.T) {
		h.reset()
		h.answer(telenortest.MobileSubscriptionsPath, func(w http.ResponseWriter, r *http.Request) {
			writeBody(w, 200, "application/json", "["+strings.TrimSuffix(strings.Repeat(`{"msisdn":"4790000000"},`, 11), ",")+"]")
		})
		var logs logBuffer
		sys := h.client(t, &logs).PasswordGrant(hostileUser, hostilePassword)
		n, err := 0, error(nil)
		for _, err = range sys.MobileSubscriptions(t.Context(), telenor.SubscriptionsOptions{PageSize: 10}) {
			if err != nil {
				break
			}
			n++
		}
		if !errors.Is(err, telenor.ErrMalformedResponse) {
			t.Errorf("contract item 12: got %d items and %v, want ErrMalformedResponse", n, err)
		}
		if got := h.hits.get(telenortest.MobileSubscriptionsPath); got != 1 {
			t.Errorf("pages requested = %d, want 1", got)
		}
		checkNoSecrets(t, hostileSecrets(), err, logs.String())
	})
}
