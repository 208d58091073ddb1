package telenor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/internal/gateway"
	"github.com/telenor-go/telenor/internal/memhttp"
	"github.com/telenor-go/telenor/telenortest"
)

// The Observer's contract and what the core does for observability without
// one: the token fetch keeps its trigger's context values, logs go through
// the *Context calls, retries are logged with their cause, final errors
// count the attempts.

// traceKey is a context value standing for a caller's trace.
type traceKey struct{}

// eventLog is an Observer that writes each event as a line, tags each
// Start's context with the event, and checks that every End gets it back.
type eventLog struct {
	t      *testing.T
	mu     sync.Mutex
	events []string
}

type spanKey struct{}

func (r *eventLog) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
}

func (r *eventLog) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// expect checks that ctx carries the span that Start named want.
func (r *eventLog) expect(ctx context.Context, want string) {
	if got, _ := ctx.Value(spanKey{}).(string); got != want {
		r.t.Errorf("End got the context of %q, want %q", got, want)
	}
}

func (r *eventLog) OperationStart(ctx context.Context, op Operation) context.Context {
	r.add("op %s %s %s page=%d", op.Name, op.Method, op.Route, op.Page)
	return context.WithValue(ctx, spanKey{}, "op "+op.Name)
}

func (r *eventLog) OperationEnd(ctx context.Context, op Operation) {
	r.expect(ctx, "op "+op.Name)
	r.add("op end %s status=%d code=%d attempts=%d items=%d err=%v", op.Name, op.Status, op.GatewayCode, op.Attempts, op.Items, op.Err != nil)
}

func (r *eventLog) AttemptStart(ctx context.Context, a Attempt) context.Context {
	r.add("attempt %d %s %s %s %s:%d", a.Number, a.Operation, a.Method, a.Route, a.Host, a.Port)
	return context.WithValue(ctx, spanKey{}, fmt.Sprint("attempt ", a.Number))
}

func (r *eventLog) AttemptEnd(ctx context.Context, a Attempt) {
	r.expect(ctx, fmt.Sprint("attempt ", a.Number))
	r.add("attempt end %d status=%d code=%d retry=%v wait=%s replay=%v err=%v", a.Number, a.Status, a.GatewayCode, a.Retry, a.RetryWait, a.Replay, a.Err != nil)
}

func (r *eventLog) TokenFetchStart(ctx context.Context, f TokenFetch) context.Context {
	parent, _ := ctx.Value(spanKey{}).(string)
	r.add("token %s background=%v in %q", f.Grant, f.Background, parent)
	return context.WithValue(ctx, spanKey{}, "token")
}

func (r *eventLog) TokenFetchEnd(ctx context.Context, f TokenFetch) {
	r.expect(ctx, "token")
	r.add("token end took=%s err=%v", f.Duration, f.Err != nil)
}

func (r *eventLog) TokenWait(_ context.Context, w TokenWait) {
	r.add("wait %s err=%v", w.Duration, w.Err != nil)
}

// observed returns an in-process fake gateway and a Client on it with
// obs, the transport delaying each token request by tokenDelay.
func observed(t *testing.T, obs Observer, tokenDelay time.Duration, opts ...telenortest.Option) (*telenortest.Server, *Client) {
	t.Helper()
	srv := telenortest.NewUnstartedServer(opts...)
	if tokenDelay > 0 {
		srv.Fail(telenortest.PasswordTokenPath, 1<<20, telenortest.Fault{Delay: tokenDelay})
	}
	cli, err := NewClient(Config{
		ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
		BaseURL:    "http://127.0.0.1",
		HTTPClient: &http.Client{Transport: &memhttp.Transport{Handler: srv.Handler()}},
		Observer:   obs,
	})
	require.NoError(t, err)
	return srv, cli
}

func TestObserverSeesRetryAndWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &eventLog{t: t}
		srv, cli := observed(t, rec, time.Second)
		srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 429, Code: CodeSpikeArrest, RetryAfter: "2"})
		_, err := systemSession(cli).Organizations(t.Context())
		require.NoError(t, err)
		assert.Equal(t, []string{
			"op Organizations GET /organizations/v1/organizations page=-1",
			`token password background=false in "op Organizations"`,
			"token end took=1s err=false",
			"wait 1s err=false",
			"attempt 1 Organizations GET /organizations/v1/organizations 127.0.0.1:80",
			"attempt end 1 status=429 code=42902 retry=true wait=2s replay=false err=false",
			"attempt 2 Organizations GET /organizations/v1/organizations 127.0.0.1:80",
			"attempt end 2 status=200 code=0 retry=false wait=0s replay=false err=false",
			"op end Organizations status=200 code=0 attempts=2 items=3 err=false",
		}, rec.lines())
	})
}

func TestObserverSeesReplayAndFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &eventLog{t: t}
		srv, cli := observed(t, rec, 0)
		sys := systemSession(cli)
		_, err := sys.Token(t.Context())
		require.NoError(t, err)
		srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired})
		srv.Fail(telenortest.AgreementsPath, 1, telenortest.Fault{Status: 403, Code: gateway.CodeInvalidScope})
		_, err = sys.Organizations(t.Context())
		require.NoError(t, err)
		_, err = sys.Agreements(t.Context())
		require.Error(t, err)
		assert.Equal(t, []string{
			`token password background=false in ""`,
			"token end took=0s err=false",
			"wait 0s err=false",
			"op Organizations GET /organizations/v1/organizations page=-1",
			"attempt 1 Organizations GET /organizations/v1/organizations 127.0.0.1:80",
			"attempt end 1 status=401 code=40106 retry=false wait=0s replay=true err=false",
			`token password background=false in "op Organizations"`,
			"token end took=0s err=false",
			"wait 0s err=false",
			"attempt 2 Organizations GET /organizations/v1/organizations 127.0.0.1:80",
			"attempt end 2 status=200 code=0 retry=false wait=0s replay=false err=false",
			"op end Organizations status=200 code=0 attempts=2 items=3 err=false",
			"op Agreements GET /corporate-agreements/v2/agreements page=-1",
			"attempt 1 Agreements GET /corporate-agreements/v2/agreements 127.0.0.1:80",
			"attempt end 1 status=403 code=40301 retry=false wait=0s replay=false err=false",
			"op end Agreements status=403 code=40301 attempts=1 items=0 err=true",
		}, rec.lines())
	})
}

func TestObserverSeesPagesAndLogout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &eventLog{t: t}
		srv, cli := observed(t, rec, 0, telenortest.WithCompanyData(1, 25))
		sys := systemSession(cli)
		n := 0
		for _, err := range sys.MobileSubscriptions(t.Context(), SubscriptionsOptions{PageSize: 10}) {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, 25, n)
		user := userSession(cli, srv)
		require.NoError(t, user.Logout(t.Context()))
		var ends []string
		for _, l := range rec.lines() {
			if strings.HasPrefix(l, "op ") {
				ends = append(ends, l)
			}
		}
		assert.Equal(t, []string{
			"op MobileSubscriptions GET /corporate-mobile-subscriptions/v2/mobile-subscriptions page=0",
			"op end MobileSubscriptions status=200 code=0 attempts=1 items=10 err=false",
			"op MobileSubscriptions GET /corporate-mobile-subscriptions/v2/mobile-subscriptions page=1",
			"op end MobileSubscriptions status=200 code=0 attempts=1 items=10 err=false",
			"op MobileSubscriptions GET /corporate-mobile-subscriptions/v2/mobile-subscriptions page=2",
			"op end MobileSubscriptions status=200 code=0 attempts=1 items=5 err=false",
			"op Logout GET /oauth/v2/logout page=-1",
			"op end Logout status=200 code=0 attempts=1 items=0 err=false",
		}, ends)
	})
}

func TestObserverSeesBackgroundRefreshAndExchange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &eventLog{t: t}
		srv, cli := observed(t, rec, 0, telenortest.WithTokenLifetime(100*time.Second))
		sys := systemSession(cli)
		_, err := sys.Token(t.Context())
		require.NoError(t, err)
		time.Sleep(80 * time.Second) // past the refresh point (75 s): due
		_, err = sys.Organizations(t.Context())
		require.NoError(t, err)
		synctest.Wait()
		_, err = cli.Exchange(t.Context(), "no-such-code")
		require.ErrorIs(t, err, ErrInvalidGrant)
		lines := rec.lines()
		assert.Contains(t, lines, `token password background=true in "op Organizations"`)
		assert.Contains(t, lines, `token authorization_code background=false in ""`)
		assert.Equal(t, "token end took=0s err=true", lines[len(lines)-1])
		assert.Equal(t, 2, srv.TokenRequests()-1, "the refresh and the exchange")
	})
}

// asAPIError returns the *APIError in err, or nil.
func asAPIError(err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}

// nilObserver returns nil contexts, which the SDK must survive.
type nilObserver struct{}

func (nilObserver) OperationStart(context.Context, Operation) context.Context   { return nil }
func (nilObserver) AttemptStart(context.Context, Attempt) context.Context       { return nil }
func (nilObserver) TokenFetchStart(context.Context, TokenFetch) context.Context { return nil }
func (nilObserver) OperationEnd(context.Context, Operation)                     {}
func (nilObserver) AttemptEnd(context.Context, Attempt)                         {}
func (nilObserver) TokenFetchEnd(context.Context, TokenFetch)                   {}
func (nilObserver) TokenWait(context.Context, TokenWait)                        {}

func TestObserverReturningNilContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, cli := observed(t, nilObserver{}, 0)
		_, err := systemSession(cli).Organizations(t.Context())
		require.NoError(t, err)
	})
}

// valueRecorder is a transport that records, for each request, the
// caller's trace value in its context.
type valueRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen map[string][]any // by path
}

func (v *valueRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	v.mu.Lock()
	v.seen[r.URL.Path] = append(v.seen[r.URL.Path], r.Context().Value(traceKey{}))
	v.mu.Unlock()
	return v.base.RoundTrip(r)
}

func (v *valueRecorder) get(path string) []any {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]any(nil), v.seen[path]...)
}

// The shared fetch keeps the values of the context that triggered it, so a
// tracing transport puts the token request in that caller's trace: a
// waited fetch and a background refresh alike. Before, it ran under
// context.Background().
func TestTokenFetchKeepsTriggeringContextValues(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telenortest.NewUnstartedServer(telenortest.WithTokenLifetime(100 * time.Second))
		vr := &valueRecorder{base: &memhttp.Transport{Handler: srv.Handler()}, seen: map[string][]any{}}
		cli, err := NewClient(Config{
			ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: "http://127.0.0.1", HTTPClient: &http.Client{Transport: vr},
		})
		require.NoError(t, err)
		sys := systemSession(cli)
		ctx, cancel := context.WithCancel(context.WithValue(t.Context(), traceKey{}, "trace-1"))
		_, err = sys.Organizations(ctx)
		require.NoError(t, err)
		cancel() // the caller is gone: its values stay with what it started
		time.Sleep(80 * time.Second)
		_, err = sys.Organizations(context.WithValue(t.Context(), traceKey{}, "trace-2"))
		require.NoError(t, err)
		synctest.Wait()
		assert.Equal(t, []any{"trace-1", "trace-2"}, vr.get(telenortest.PasswordTokenPath))
		assert.Equal(t, []any{"trace-1", "trace-2"}, vr.get(telenortest.OrganizationsPath))
	})
}

// logCapture is a slog handler that keeps every record with the trace
// value of the context it was logged with.
type logCapture struct {
	mu      sync.Mutex
	records []map[string]any
}

func (h *logCapture) Enabled(context.Context, slog.Level) bool { return true }
func (h *logCapture) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logCapture) WithGroup(string) slog.Handler            { return h }

func (h *logCapture) Handle(ctx context.Context, r slog.Record) error {
	m := map[string]any{"msg": r.Message, "trace": ctx.Value(traceKey{})}
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.Resolve().Any()
		return true
	})
	h.mu.Lock()
	h.records = append(h.records, m)
	h.mu.Unlock()
	return nil
}

func (h *logCapture) find(msg string) []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for _, r := range h.records {
		if r["msg"] == msg {
			out = append(out, r)
		}
	}
	return out
}

func TestRetryLogsSayWhatAndCarryTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logs := &logCapture{}
		srv, s := memUser(t, func(c *Config) { c.Logger = slog.New(logs) })
		srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Status: 429, Code: CodeSpikeArrest, RetryAfter: "3"})
		ctx := context.WithValue(t.Context(), traceKey{}, "trace-1")
		_, err := s.UserInfo(ctx)
		require.NoError(t, err)
		got := logs.find("telenor: retrying API request")
		require.Len(t, got, 1)
		assert.Equal(t, map[string]any{
			"msg": "telenor: retrying API request", "trace": "trace-1",
			"operation": "UserInfo", "method": "GET", "path": telenortest.UserInfoPath,
			"status": int64(429), "gateway_code": int64(CodeSpikeArrest), "attempt": int64(1), "wait": 3 * time.Second,
		}, got[0])
	})
}

func TestTokenLogsCarryTheTriggeringContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logs := &logCapture{}
		srv := telenortest.NewUnstartedServer()
		srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 503})
		cli, err := NewClient(Config{
			ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: "http://127.0.0.1", HTTPClient: srv.Client(), Logger: slog.New(logs),
		})
		require.NoError(t, err)
		_, err = systemSession(cli).Token(context.WithValue(t.Context(), traceKey{}, "trace-1"))
		require.NoError(t, err)
		for _, msg := range []string{"telenor: retrying password grant", "telenor: new token cached"} {
			got := logs.find(msg)
			require.Len(t, got, 1, msg)
			assert.Equal(t, "trace-1", got[0]["trace"], msg)
		}
	})
}

// A final error says how many attempts were made when there was more than
// one, and a first-try failure does not.
func TestFinalErrorsCountAttempts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		path     string
		fault    telenortest.Fault
		system   bool
		attempts int
		want     string
	}{
		{"429 persistent", telenortest.UserInfoPath, telenortest.Fault{Status: 429, Code: CodeSpikeArrest, RetryAfter: "1"}, false, 3,
			"telenor: GET /user-info/v1/users: 429 Too Many Requests (code 42902): Too Many Requests (retry after 1s) (after 3 attempts)"},
		{"503 persistent", telenortest.UserInfoPath, telenortest.Fault{Status: 503, Code: 50001}, false, 3, "(after 3 attempts)"},
		{"reset persistent", telenortest.UserInfoPath, telenortest.Fault{Reset: true}, false, 3, "(after 3 attempts)"},
		{"401 40106 after the replay", telenortest.OrganizationsPath, telenortest.Fault{Status: 401, Code: gateway.CodeTokenExpired}, true, 2, "(after 2 attempts)"},
		{"token 500", telenortest.PasswordTokenPath, telenortest.Fault{Status: 500, Code: 50001}, true, 3,
			"telenor: token endpoint answered 500 (code 50001): Internal Server Error (after 3 attempts)"},
		{"token reset", telenortest.PasswordTokenPath, telenortest.Fault{Reset: true}, true, 3, "(after 3 attempts)"},
		{"403 once", telenortest.UserInfoPath, telenortest.Fault{Status: 403, Code: gateway.CodeInvalidScope}, false, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cli := newMemClient(t)
				srv.Fail(tc.path, 1<<20, tc.fault)
				var err error
				if tc.system {
					_, err = systemSession(cli).Organizations(t.Context())
				} else {
					_, err = userSession(cli, srv).UserInfo(t.Context())
				}
				require.Error(t, err)
				if tc.want == "" {
					assert.NotContains(t, err.Error(), "attempts")
				} else {
					assert.Contains(t, err.Error(), tc.want)
				}
				if ae := asAPIError(err); ae != nil {
					assert.Equal(t, tc.attempts, ae.Attempts)
				}
				var auth *AuthError
				if errors.As(err, &auth) {
					assert.Equal(t, tc.attempts, auth.Attempts)
				}
				if tc.fault.Reset {
					assert.ErrorIs(t, err, syscall.ECONNRESET)
				}
			})
		})
	}
}

// A redirect within the API host sends the typed call's request twice
// through send. Each hop must get a wire counter of its own: reusing the
// call's made httptrace compose the caller's own ClientTrace into it a
// second time, calling the caller's hooks twice for one event.
func TestRedirectHopsCallCallerTraceOnce(t *testing.T) {
	srv := telenortest.NewServer()
	cli := newTestClient(t, srv)
	srv.Fail(telenortest.UserInfoPath, 1, telenortest.Fault{Redirect: srv.URL + telenortest.UserInfoPath})
	var mu sync.Mutex
	firstBytes := 0
	ctx := httptrace.WithClientTrace(t.Context(), &httptrace.ClientTrace{GotFirstResponseByte: func() {
		mu.Lock()
		firstBytes++
		mu.Unlock()
	}})
	_, err := userSession(cli, srv).UserInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Requests(telenortest.UserInfoPath))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 2, firstBytes, "one first byte per response")
}
