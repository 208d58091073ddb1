package telenor_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

// ctxLog is a slog handler that notes, for each record, the caller's
// marker in the context it was logged with.
type ctxLog struct {
	mu      sync.Mutex
	records map[string][]any // message → markers
}

func (h *ctxLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *ctxLog) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *ctxLog) WithGroup(string) slog.Handler            { return h }

func (h *ctxLog) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records[r.Message] = append(h.records[r.Message], ctx.Value(callerKey{}))
	return nil
}

// flakyStore is a TokenStore whose methods fail while down is set, and
// which otherwise stores nothing.
type flakyStore struct{ down atomic.Bool }

var errStoreDown = errors.New("store down")

func (s *flakyStore) err() error {
	if s.down.Load() {
		return errStoreDown
	}
	return nil
}

func (s *flakyStore) Load(context.Context, string) (*oauth2.Token, time.Time, error) {
	return nil, time.Time{}, s.err()
}

func (s *flakyStore) Lease(context.Context, string) (func(context.Context), error) {
	return func(context.Context) {}, s.err()
}

func (s *flakyStore) Save(context.Context, string, *oauth2.Token, time.Time) error { return s.err() }
func (s *flakyStore) CompareAndDelete(context.Context, string, string) error       { return s.err() }

// Every record the SDK logs carries the context of the call it is about,
// the fleet's change of mode included (it used slog's non-context calls).
func TestEveryLogRecordCarriesTheCallersContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logs := &ctxLog{records: map[string][]any{}}
		store := &flakyStore{}
		store.down.Store(true)
		srv := telenortest.NewUnstartedServer(telenortest.WithTokenLifetime(100 * time.Second))
		cli, err := telenor.NewClient(telenor.Config{
			ClientID: telenortest.DefaultClientID, ClientSecret: telenortest.DefaultClientSecret,
			BaseURL: "http://127.0.0.1", HTTPClient: srv.Client(), Logger: slog.New(logs), TokenStore: store,
		})
		require.NoError(t, err)
		sys := cli.PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)
		ctx := func(n int) context.Context { return context.WithValue(t.Context(), callerKey{}, n) }

		srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 503})
		srv.Fail(telenortest.OrganizationsPath, 1, telenortest.Fault{Status: 503})
		_, err = sys.Organizations(ctx(1)) // store down, password retried, API retried
		require.NoError(t, err)
		store.down.Store(false)
		time.Sleep(80 * time.Second) // due: the next call refreshes in the background
		srv.Fail(telenortest.PasswordTokenPath, 3, telenortest.Fault{Status: 500})
		_, err = sys.Organizations(ctx(2)) // store answers again; the refresh fails
		require.NoError(t, err)
		synctest.Wait()
		time.Sleep(time.Minute) // stale: the next call waits, and the credentials are rejected
		srv.Fail(telenortest.PasswordTokenPath, 1, telenortest.Fault{Status: 400, Body: `{"error":"invalid_grant"}`})
		_, err = sys.Organizations(ctx(3))
		require.ErrorIs(t, err, telenor.ErrInvalidGrant)

		logs.mu.Lock()
		defer logs.mu.Unlock()
		for msg, markers := range logs.records {
			for _, m := range markers {
				assert.NotNil(t, m, "logged without the caller's context: %s", msg)
			}
		}
		for msg, want := range map[string][]any{
			"telenor: token store failed; this replica fetches its own tokens until it answers again": {1},
			"telenor: token store answers again; sharing tokens with the fleet":                       {2},
			"telenor: new token cached":     {1},
			"telenor: retrying API request": {1},
			"telenor: background token refresh failed; still using the current token":                      {2},
			"telenor: token endpoint rejected the credentials; this session will not request tokens again": {3},
		} {
			assert.Equal(t, want, logs.records[msg], msg)
		}
		assert.Contains(t, logs.records, "telenor: retrying password grant")
	})
}
