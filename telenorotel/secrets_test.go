package telenorotel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// Every attribute telenorotel records, across the fault matrix of the
// token endpoint, the code exchange and the APIs, is checked two ways:
// its value must be of its key's closed vocabulary (an unknown key fails
// too), and no value, span name, event or status may contain a secret
// (client secret, password, any token, the code, the state) or personal
// data (the subscriber's number, name, address, e-mail, birth date, a
// company subscription's MSISDN). The faults' messages quote personal data
// and the code on purpose: errors are recorded by kind, never by text.

// vocabulary is every attribute key telenorotel may record with what its
// value may be.
var vocabulary = map[attribute.Key]*regexp.Regexp{
	"telenor.operation":         regexp.MustCompile(`^(UserInfo|DeviceInfo|Organizations|Agreements|Accounts|MobileSubscriptions|Logout)$`),
	"telenor.attempts":          regexp.MustCompile(`^[0-9]$`),
	"telenor.gateway_code":      regexp.MustCompile(`^[0-9]{5,7}$`),
	"telenor.page":              regexp.MustCompile(`^[0-9]{1,3}$`),
	"telenor.items":             regexp.MustCompile(`^[0-9]{1,4}$`),
	"telenor.retry.wait":        regexp.MustCompile(`^[0-9.e-]+$`),
	"telenor.replay":            regexp.MustCompile(`^true$`),
	"telenor.token.grant":       regexp.MustCompile(`^(password|authorization_code)$`),
	"telenor.token.trigger":     regexp.MustCompile(`^(background|waited)$`),
	"telenor.token.result":      regexp.MustCompile(`^(success|timeout|rejected|error|canceled)$`),
	"telenor.token.wait":        regexp.MustCompile(`^[0-9.e-]+$`),
	"telenor.status_class":      regexp.MustCompile(`^([1-5]xx|none)$`),
	"http.request.method":       regexp.MustCompile(`^GET$`),
	"http.request.resend_count": regexp.MustCompile(`^[1-9]$`),
	"http.response.status_code": regexp.MustCompile(`^[1-5][0-9][0-9]$`),
	"server.address":            regexp.MustCompile(`^127\.0\.0\.1$`),
	"server.port":               regexp.MustCompile(`^80$`),
	"url.template":              regexp.MustCompile(`^(/[a-z0-9-]+)+$`),
	"error.type":                regexp.MustCompile(`^([a-z_]+|[1-5][0-9][0-9]|token_[1-5][0-9][0-9]|_OTHER)$`),
}

// names are the span and event names telenorotel may record.
var names = regexp.MustCompile(`^(telenor\.(UserInfo|DeviceInfo|Organizations|Agreements|Accounts|MobileSubscriptions|Logout|token|token\.wait)|GET (/[a-z0-9-]+)+)$`)

const callbackURL = "http://app.example/callback"

// leakWatch wraps the in-process transport and collects every secret that
// crosses it: Authorization headers and the access tokens of answers.
type leakWatch struct {
	base    http.RoundTripper
	mu      sync.Mutex
	secrets []string
}

func (w *leakWatch) add(s ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, v := range s {
		if v != "" {
			w.secrets = append(w.secrets, v)
		}
	}
}

func (w *leakWatch) RoundTrip(r *http.Request) (*http.Response, error) {
	w.add(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	resp, err := w.base.RoundTrip(r)
	if err != nil || !strings.Contains(r.URL.Path, "/oauth/") {
		return resp, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &tok) == nil {
		w.add(tok.AccessToken)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// faultRow is one fault on one path, for n requests.
type faultRow struct {
	path  string
	n     int
	fault telenortest.Fault
}

func faultMatrix() []faultRow {
	sub := telenortest.DefaultSubscriber()
	personal := fmt.Sprintf("subscriber %s %s %s <%s>", sub.MobileNumber, sub.GivenName, sub.FamilyName, sub.EmailAddress)
	const all = 1 << 20
	var rows []faultRow
	for _, p := range []string{telenortest.PasswordTokenPath, telenortest.TokenPath} {
		for _, f := range []telenortest.Fault{
			{Status: 500, Code: 50001, Message: personal},
			{Status: 503, RetryAfter: "7"},
			{Status: 429, Code: telenor.CodeQuotaExceeded},
			{Status: 429, Code: telenor.CodeSpikeArrest, RetryAfter: "1"},
			{Hang: true},
			{Reset: true},
			{Status: 200, Shape: telenortest.ShapeMalformedJSON},
			{Status: 502, Shape: telenortest.ShapeHTML, Message: personal},
			{Status: 200, Shape: telenortest.ShapeEmpty},
			{Status: 400, Body: `{"error":"invalid_grant","error_description":"` + personal + `"}`},
			{Status: 401, Shape: telenortest.ShapeEmpty},
			{Status: 200, Code: gateway.CodeInvalidClient, Message: personal},
			{Status: 302, Redirect: "https://elsewhere.example/oauth/token"},
		} {
			rows = append(rows, faultRow{p, all, f})
		}
	}
	apiFaults := []faultRow{
		{"", 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenInvalid, Message: personal}},
		{"", all, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired}},
		{"", all, telenortest.Fault{Status: 403, Code: gateway.CodeInvalidScope, Message: personal}},
		{"", all, telenortest.Fault{Status: 404, Code: gateway.CodeBackendNotFound, Shape: telenortest.ShapeApigee, Message: personal}},
		{"", 2, telenortest.Fault{Status: 429, Code: telenor.CodeSpikeArrest, RetryAfter: "1"}},
		{"", all, telenortest.Fault{Status: 429, Code: telenor.CodeQuotaExceeded}},
		{"", all, telenortest.Fault{Status: 500, Code: 50001, Message: personal}},
		{"", 1, telenortest.Fault{Status: 503, Shape: telenortest.ShapeHTML}},
		{"", all, telenortest.Fault{Status: 200, Body: `{"mobileNumber":"` + sub.MobileNumber}},
		{"", all, telenortest.Fault{Status: 200, Shape: telenortest.ShapeHTML, Message: personal}},
		{"", all, telenortest.Fault{Status: 200, Size: 2 << 20}},
		{"", 1, telenortest.Fault{Redirect: "http://other.example/elsewhere"}},
		{"", all, telenortest.Fault{Reset: true}},
		{"", all, telenortest.Fault{Delay: 10 * time.Second}}, // past the callers' deadline
	}
	for _, r := range apiFaults {
		for _, p := range []string{telenortest.UserInfoPath, telenortest.DeviceInfoPath, telenortest.OrganizationsPath,
			telenortest.MobileSubscriptionsPath, telenortest.LogoutPath} {
			rows = append(rows, faultRow{p, r.n, r.fault})
		}
	}
	return rows
}

func TestNoSecretOrPersonalDataInAnyAttribute(t *testing.T) {
	for _, row := range faultMatrix() {
		t.Run(row.path+" "+describe(row.fault), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var watch *leakWatch
				h := newHarness(t, func(c *telenor.Config) {
					watch = &leakWatch{base: c.HTTPClient.Transport}
					c.HTTPClient = &http.Client{Transport: watch}
					c.RedirectURL = callbackURL
				}, telenortest.WithRedirectURL(callbackURL), telenortest.WithConsent(telenortest.ConsentAutoApprove),
					telenortest.WithCompanyData(2, 25))
				h.srv.Fail(row.path, row.n, row.fault)
				exercise(t, h, watch)
				scan(t, h, forbidden(watch))
			})
		})
	}
}

// exercise makes every kind of call: a system user's lists and logout,
// and an end user's login, user and device info, and logout. Failures
// are expected; each call is bounded by a 5-second deadline.
func exercise(t *testing.T, h *harness, watch *leakWatch) {
	run := func(f func(ctx context.Context)) {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		f(ctx)
	}
	sys := h.system()
	run(func(ctx context.Context) { _, _ = sys.Organizations(ctx) })
	run(func(ctx context.Context) {
		for _, err := range sys.MobileSubscriptions(ctx, telenor.SubscriptionsOptions{PageSize: 10}) {
			if err != nil {
				return
			}
		}
	})
	run(func(ctx context.Context) { _ = sys.Logout(ctx) })
	state := telenor.NewState()
	watch.add(state)
	var user *telenor.UserSession
	run(func(ctx context.Context) { user, _ = h.cli.HandleCallback(ctx, callback(t, h, watch, state), state) })
	if user == nil {
		user = h.user()
	}
	run(func(ctx context.Context) { _, _ = user.UserInfo(ctx) })
	run(func(ctx context.Context) { _, _ = user.DeviceInfo(ctx) })
	run(func(ctx context.Context) { _ = user.Logout(ctx) })
	time.Sleep(time.Minute) // a shared fetch outlives its callers, for up to TokenTimeout
	synctest.Wait()
}

// callback starts line authentication for state (auto-approved) and
// returns the browser's request to the app's callback, noting the code.
func callback(t *testing.T, h *harness, watch *leakWatch, state string) *http.Request {
	hc := h.srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(h.cli.AuthCodeURL(state))
	require.NoError(t, err)
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.NotEmpty(t, loc.Query().Get("code"), "no code in %s", loc)
	watch.add(loc.Query().Get("code"))
	return httptest.NewRequest(http.MethodGet, loc.String(), nil)
}

// describe names a fault for a subtest.
func describe(f telenortest.Fault) string {
	switch {
	case f.Hang:
		return "hang"
	case f.Reset:
		return "reset"
	case f.Redirect != "":
		return "redirect"
	case f.Size > 0:
		return "huge body"
	case f.Delay > 0:
		return "slow"
	}
	return fmt.Sprintf("%d %d %s %.12s", f.Status, f.Code, f.Shape, f.Body)
}

// forbidden is every string that must not be recorded.
func forbidden(watch *leakWatch) []string {
	sub := telenortest.DefaultSubscriber()
	out := []string{telenortest.DefaultClientSecret, telenortest.DefaultUsername, telenortest.DefaultPassword,
		sub.MobileNumber, sub.GivenName, sub.FamilyName, sub.StreetAddress, sub.PostalLocation, sub.EmailAddress,
		sub.BirthDate, sub.Device.TAC}
	for i := range 25 {
		out = append(out, telenortest.SubscriptionMSISDN(i))
	}
	watch.mu.Lock()
	defer watch.mu.Unlock()
	return append(out, watch.secrets...)
}

// scan checks every span, event and metric data point recorded.
func scan(t *testing.T, h *harness, secrets []string) {
	t.Helper()
	check := func(where, s string) {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s holds %q: %s", where, secret, s)
			}
		}
	}
	checkAttrs := func(where string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			v := kv.Value.String()
			check(where, string(kv.Key)+"="+v)
			if re, ok := vocabulary[kv.Key]; !ok || !re.MatchString(v) {
				t.Errorf("%s: attribute %s=%q is outside the vocabulary", where, kv.Key, v)
			}
		}
	}
	spans := h.spans.Ended()
	require.NotEmpty(t, spans)
	for _, s := range spans {
		where := "span " + s.Name()
		if !names.MatchString(s.Name()) {
			t.Errorf("unexpected span name %q", s.Name())
		}
		check(where, s.Status().Description)
		if d := s.Status().Description; d != "" && !vocabulary["error.type"].MatchString(d) {
			t.Errorf("%s: status %q is not an error type", where, d)
		}
		checkAttrs(where, s.Attributes())
		for _, e := range s.Events() {
			if !names.MatchString(e.Name) {
				t.Errorf("%s: unexpected event %q", where, e.Name)
			}
			checkAttrs(where+" event "+e.Name, e.Attributes)
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					checkAttrs("metric "+m.Name, p.Attributes.ToSlice())
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					checkAttrs("metric "+m.Name, p.Attributes.ToSlice())
				}
			}
		}
	}
}
