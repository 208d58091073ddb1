package fleet

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// oneStore is a Store of one key in memory whose lease is always free. err
// makes every method fail.
type oneStore struct {
	tok     *oauth2.Token
	sent    time.Time
	err     error
	leases  int
	deleted []string
}

func (s *oneStore) Load(context.Context, string) (*oauth2.Token, time.Time, error) {
	return s.tok, s.sent, s.err
}

func (s *oneStore) Lease(context.Context, string) (func(context.Context), error) {
	s.leases++
	return func(context.Context) {}, s.err
}

func (s *oneStore) Save(_ context.Context, _ string, tok *oauth2.Token, sent time.Time) error {
	if s.err == nil {
		s.tok, s.sent = tok, sent
	}
	return s.err
}

func (s *oneStore) CompareAndDelete(_ context.Context, _, accessToken string) error {
	if s.err == nil && s.tok != nil && s.tok.AccessToken == accessToken {
		s.tok = nil
		s.deleted = append(s.deleted, accessToken)
	}
	return s.err
}

var sent0 = time.Unix(1_700_000_000, 0)

// shared returns a Shared on store whose own fetch hands out tokens t1,
// t2, … and counts them in *fetches; every stored token is usable.
func shared(store Store, logs *bytes.Buffer, fetches *int) *Shared {
	l := NewLink(store, slog.New(slog.NewTextHandler(logs, nil)))
	own := func(context.Context) (*oauth2.Token, time.Time, error) {
		*fetches++
		return &oauth2.Token{AccessToken: "t" + strings.Repeat("I", *fetches)}, sent0, nil
	}
	return l.Share("k", own, func(*oauth2.Token, time.Time) bool { return true })
}

func TestAdoptsTheStoredToken(t *testing.T) {
	store := &oneStore{tok: &oauth2.Token{AccessToken: "fleet"}, sent: sent0}
	fetches := 0
	tok, sent, err := shared(store, &bytes.Buffer{}, &fetches).Fetch(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "fleet", tok.AccessToken)
	assert.Equal(t, sent0, sent, "with its send time")
	assert.Zero(t, fetches)
	assert.Zero(t, store.leases)
}

func TestHolderFetchesAndSaves(t *testing.T) {
	store := &oneStore{}
	fetches := 0
	f := shared(store, &bytes.Buffer{}, &fetches)
	tok, _, err := f.Fetch(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, fetches)
	assert.Equal(t, tok, store.tok, "saved for the fleet")

	tok2, _, err := f.Fetch(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, tok2.AccessToken, "the token it had is never news")
	assert.Equal(t, 2, fetches)
}

func TestRejectedTokenIsDeleted(t *testing.T) {
	store := &oneStore{tok: &oauth2.Token{AccessToken: "bad"}, sent: sent0}
	fetches := 0
	f := shared(store, &bytes.Buffer{}, &fetches)
	f.Reject("bad")
	tok, _, err := f.Fetch(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"bad"}, store.deleted)
	assert.NotEqual(t, "bad", tok.AccessToken)
	assert.Equal(t, 1, fetches)
}

func TestUnusableTokenIsNotAdopted(t *testing.T) {
	store := &oneStore{tok: &oauth2.Token{AccessToken: "stale"}, sent: sent0}
	own := func(context.Context) (*oauth2.Token, time.Time, error) {
		return &oauth2.Token{AccessToken: "new"}, sent0, nil
	}
	f := NewLink(store, slog.New(slog.DiscardHandler)).Share("k", own, func(*oauth2.Token, time.Time) bool { return false })
	tok, _, err := f.Fetch(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "new", tok.AccessToken)
}

func TestStoreFailureFetchesAloneAndLogsEachModeOnce(t *testing.T) {
	store := &oneStore{err: errors.New("store down")}
	var logs bytes.Buffer
	fetches := 0
	f := shared(store, &logs, &fetches)
	for range 3 {
		_, _, err := f.Fetch(t.Context())
		require.NoError(t, err, "callers never see the store's error")
	}
	assert.Equal(t, 3, fetches)
	assert.Equal(t, 1, strings.Count(logs.String(), "token store failed"))

	store.err = nil
	for range 2 {
		_, _, err := f.Fetch(t.Context())
		require.NoError(t, err)
	}
	assert.Equal(t, 1, strings.Count(logs.String(), "sharing tokens with the fleet"))
}

func TestStoreFailureAfterTheDeadlineIsTheDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	fetches := 0
	_, _, err := shared(&oneStore{err: context.Canceled}, &bytes.Buffer{}, &fetches).Fetch(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, fetches)
}

func TestKeyRevealsNothing(t *testing.T) {
	k := Key("https://api.telenor.no", "client-id", "API1000XYZ")
	assert.Len(t, k, 64)
	assert.NotContains(t, k, "API1000XYZ")
	assert.NotEqual(t, k, Key("https://api.telenor.no", "client-id", "API1000XYZW"))
	assert.NotEqual(t, k, Key("https://test-api.telenor.no", "client-id", "API1000XYZ"))
}
