package telenorotel_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/telenortest"
)

// The exact span tree and metric values of each scenario, in synctest
// bubbles: every duration is virtual and exact. Each tree hangs below the
// test's own "caller" span; every span of the scenario, the token fetch
// included, is in the caller's trace.

// orgsAttempt and userAttempt are the attributes of an attempt at their
// route, with extra ones, sorted as tree renders them.
func orgsAttempt(extra ...string) string {
	return attemptAttrs("/organizations/v1/organizations", extra)
}

func userAttempt(extra ...string) string {
	return attemptAttrs("/user-info/v1/users", extra)
}

func attemptAttrs(route string, extra []string) string {
	all := append([]string{"http.request.method=GET", "server.address=127.0.0.1", "server.port=80",
		"url.template=" + route}, extra...)
	slices.Sort(all)
	return "{" + strings.Join(all, " ") + "}"
}

// checkTrace asserts the tree below root and that the scenario's spans
// are all in root's trace (warm, if valid, is a warm-up's root: its trace
// has n spans, the root included).
func checkTrace(t *testing.T, h *harness, root trace.SpanContext, want []string, warm trace.SpanContext, n int) {
	t.Helper()
	assert.Equal(t, want, lines(h.tree(root)))
	ids := h.traceIDs(root)
	wantIDs := map[trace.TraceID]int{root.TraceID(): len(want) - countEvents(want)}
	if warm.IsValid() {
		wantIDs[warm.TraceID()] = n
	}
	assert.Equal(t, wantIDs, ids, "every span is in its caller's trace")
}

// countEvents counts the event lines of a rendered tree.
func countEvents(tree []string) int {
	n := 0
	for _, l := range tree {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "·") {
			n++
		}
	}
	return n
}

func TestSpansSuccessWithWaitedToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, nil)
		h.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Delay: time.Second})
		root := h.caller(t.Context(), func(ctx context.Context) {
			_, err := h.system().Organizations(ctx)
			require.NoError(t, err)
		})
		checkTrace(t, h, root, []string{
			"telenor.Organizations internal 1s {http.response.status_code=200 telenor.attempts=1 telenor.items=3 telenor.operation=Organizations}",
			"  · telenor.token.wait {telenor.token.result=success telenor.token.wait=1}",
			"  telenor.token internal 1s {telenor.token.grant=password telenor.token.result=success telenor.token.trigger=waited}",
			"  GET /organizations/v1/organizations client 0s " + orgsAttempt("http.response.status_code=200"),
		}, trace.SpanContext{}, 0)
		assert.Equal(t, []string{
			"telenor.api.request.duration{telenor.operation=Organizations telenor.status_class=2xx} count=1 sum=1",
			"telenor.token.fetches{telenor.token.grant=password telenor.token.result=success telenor.token.trigger=waited} = 1",
			"telenor.token.wait.duration{telenor.token.result=success} count=1 sum=1",
		}, h.metrics(t))
	})
}

func TestSpansRetried429WithRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, nil)
		h.srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 429, Code: telenor.CodeSpikeArrest, RetryAfter: "2"})
		root := h.caller(t.Context(), func(ctx context.Context) {
			_, err := h.user().UserInfo(ctx)
			require.NoError(t, err)
		})
		checkTrace(t, h, root, []string{
			"telenor.UserInfo internal 2s {http.response.status_code=200 telenor.attempts=2 telenor.operation=UserInfo}",
			"  GET /user-info/v1/users client Error(429) 0s " + userAttempt("error.type=429",
				"http.response.status_code=429", "telenor.gateway_code=42902", "telenor.retry.wait=2"),
			"  GET /user-info/v1/users client 0s " + userAttempt("http.request.resend_count=1", "http.response.status_code=200"),
		}, trace.SpanContext{}, 0)
		assert.Equal(t, []string{
			"telenor.api.request.duration{telenor.operation=UserInfo telenor.status_class=2xx} count=1 sum=2",
			"telenor.api.retries{telenor.operation=UserInfo telenor.status_class=4xx} = 1",
		}, h.metrics(t))
	})
}

func TestSpans401ReplayWithTokenRefetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, nil)
		sys := h.system()
		warm := h.caller(t.Context(), func(ctx context.Context) {
			_, err := sys.Token(ctx)
			require.NoError(t, err)
		})
		h.srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired})
		h.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Delay: time.Second})
		root := h.caller(t.Context(), func(ctx context.Context) {
			_, err := sys.Organizations(ctx)
			require.NoError(t, err)
		})
		checkTrace(t, h, root, []string{
			"telenor.Organizations internal 1s {http.response.status_code=200 telenor.attempts=2 telenor.items=3 telenor.operation=Organizations}",
			"  · telenor.token.wait {telenor.token.result=success telenor.token.wait=1}",
			"  GET /organizations/v1/organizations client Error(401) 0s " + orgsAttempt("error.type=401",
				"http.response.status_code=401", "telenor.gateway_code=40106", "telenor.replay=true"),
			"  telenor.token internal 1s {telenor.token.grant=password telenor.token.result=success telenor.token.trigger=waited}",
			"  GET /organizations/v1/organizations client 0s " + orgsAttempt("http.request.resend_count=1", "http.response.status_code=200"),
		}, warm, 2)
		assert.Equal(t, []string{
			"telenor.api.replays{telenor.operation=Organizations} = 1",
			"telenor.api.request.duration{telenor.operation=Organizations telenor.status_class=2xx} count=1 sum=1",
			"telenor.token.fetches{telenor.token.grant=password telenor.token.result=success telenor.token.trigger=waited} = 2",
			"telenor.token.wait.duration{telenor.token.result=success} count=2 sum=1",
		}, h.metrics(t))
	})
}

func TestSpansBackgroundRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, nil, telenortest.WithTokenLifetime(100*time.Second))
		sys := h.system()
		warm := h.caller(t.Context(), func(ctx context.Context) {
			_, err := sys.Token(ctx)
			require.NoError(t, err)
		})
		time.Sleep(80 * time.Second) // past the refresh point (75 s of 100)
		h.srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Delay: time.Second})
		root := h.caller(t.Context(), func(ctx context.Context) {
			_, err := sys.Organizations(ctx)
			require.NoError(t, err)
		})
		time.Sleep(time.Second)
		synctest.Wait() // the background fetch has ended
		checkTrace(t, h, root, []string{
			"telenor.Organizations internal 0s {http.response.status_code=200 telenor.attempts=1 telenor.items=3 telenor.operation=Organizations}",
			"  GET /organizations/v1/organizations client 0s " + orgsAttempt("http.response.status_code=200"),
			"  telenor.token internal 1s {telenor.token.grant=password telenor.token.result=success telenor.token.trigger=background}",
		}, warm, 2)
		assert.Equal(t, []string{
			"telenor.api.request.duration{telenor.operation=Organizations telenor.status_class=2xx} count=1 sum=0",
			"telenor.token.fetches{telenor.token.grant=password telenor.token.result=success telenor.token.trigger=background} = 1",
			"telenor.token.fetches{telenor.token.grant=password telenor.token.result=success telenor.token.trigger=waited} = 1",
			"telenor.token.wait.duration{telenor.token.result=success} count=1 sum=0",
		}, h.metrics(t))
	})
}

func TestSpansTokenEndpointFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, nil)
		h.srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Status: 503, RetryAfter: "7"})
		root := h.caller(t.Context(), func(ctx context.Context) {
			_, err := h.system().Organizations(ctx)
			require.Error(t, err)
		})
		checkTrace(t, h, root, []string{
			"telenor.Organizations internal Error(token_503) 14s {error.type=token_503 telenor.attempts=0 telenor.operation=Organizations}",
			"  · telenor.token.wait {telenor.token.result=error telenor.token.wait=14}",
			"  telenor.token internal Error(token_503) 14s {error.type=token_503 telenor.token.grant=password telenor.token.result=error telenor.token.trigger=waited}",
		}, trace.SpanContext{}, 0)
		assert.Equal(t, []string{
			"telenor.api.request.duration{telenor.operation=Organizations telenor.status_class=none} count=1 sum=14",
			"telenor.token.fetches{telenor.token.grant=password telenor.token.result=error telenor.token.trigger=waited} = 1",
			"telenor.token.wait.duration{telenor.token.result=error} count=1 sum=14",
		}, h.metrics(t))
		assert.Equal(t, 3, h.srv.TokenRequests())
	})
}
