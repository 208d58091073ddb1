package cookie

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	testKey   = bytes.Repeat([]byte("k"), 32)
	testAttrs = Attrs{Name: "telenor_state", Path: "/"}
	testState = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
	t0        = time.Unix(1_700_000_000, 0)
)

// issue returns the cookie Issue sets for testState at t0.
func issue(t *testing.T, k *Keys, a Attrs) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	k.Issue(rec, a, testState, t0, time.Minute)
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)
	return cookies[0]
}

// verify runs Verify for a callback with rawQuery carrying c at now and
// returns its result and the cookies it set.
func verify(k *Keys, a Attrs, c *http.Cookie, rawQuery string, now time.Time) (string, []*http.Cookie, error) {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "https://app.example/callback?"+rawQuery, nil)
	if c != nil {
		r.AddCookie(c)
	}
	state, _, err := k.Verify(rec, r, a, now)
	return state, rec.Result().Cookies(), err
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	k := NewKeys([][]byte{testKey})
	c := issue(t, k, testAttrs)
	assert.Equal(t, "__Host-telenor_state", c.Name)
	assert.True(t, c.Secure && c.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.Equal(t, 60, c.MaxAge)
	assert.NotContains(t, c.Value, string(testKey))

	state, set, err := verify(k, testAttrs, c, "state="+testState, t0)
	require.NoError(t, err)
	assert.Equal(t, testState, state)
	require.Len(t, set, 1)
	assert.Equal(t, -1, set[0].MaxAge, "cleared")

	_, _, err = verify(k, testAttrs, c, "state="+testState, t0)
	assert.ErrorIs(t, err, ErrUsed, "single use")
}

func TestVerifyRefusals(t *testing.T) {
	k := NewKeys([][]byte{testKey})
	c := issue(t, k, testAttrs)
	parts := strings.Split(c.Value, ".")
	other := issue(t, NewKeys([][]byte{bytes.Repeat([]byte("x"), 32)}), testAttrs)
	for name, tc := range map[string]struct {
		value string
		want  error
	}{
		"version":   {strings.Join([]string{"v0", parts[1], parts[2], parts[3]}, "."), ErrMalformed},
		"parts":     {c.Value + ".x", ErrMalformed},
		"state":     {strings.Join([]string{parts[0], "other", parts[2], parts[3]}, "."), ErrAltered},
		"expiry":    {strings.Join([]string{parts[0], parts[1], "99999999999", parts[3]}, "."), ErrAltered},
		"other key": {other.Value, ErrAltered},
	} {
		_, set, err := verify(k, testAttrs, &http.Cookie{Name: c.Name, Value: tc.value}, "state="+parts[1], t0)
		assert.ErrorIs(t, err, tc.want, name)
		assert.Len(t, set, 1, "%s: a useless cookie is cleared", name)
	}
	_, _, err := verify(k, testAttrs, c, "state="+testState, t0.Add(time.Minute))
	assert.ErrorIs(t, err, ErrExpired)
	_, _, err = verify(k, testAttrs, nil, "state="+testState, t0)
	assert.ErrorIs(t, err, ErrNoCookie)
	_, set, err := verify(k, testAttrs, c, "state=forged", t0)
	assert.ErrorIs(t, err, ErrOtherState)
	assert.Empty(t, set, "a forged callback leaves the cookie alone")

	renamed := Attrs{Name: "other", Path: "/"}
	_, _, err = verify(k, renamed, &http.Cookie{Name: renamed.FullName(), Value: c.Value}, "state="+testState, t0)
	assert.ErrorIs(t, err, ErrAltered, "the MAC binds the cookie's name")
}

func TestKeyRotation(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte("o"), 32), bytes.Repeat([]byte("n"), 32)
	c := issue(t, NewKeys([][]byte{oldKey}), testAttrs)
	_, _, err := verify(NewKeys([][]byte{newKey, oldKey}), testAttrs, c, "state="+testState, t0)
	assert.NoError(t, err, "a previous key verifies")
	_, _, err = verify(NewKeys([][]byte{newKey}), testAttrs, c, "state="+testState, t0)
	assert.ErrorIs(t, err, ErrAltered)
}

func TestPlainAttrs(t *testing.T) {
	a := Attrs{Name: "s", Path: "/auth", Plain: true}
	c := issue(t, NewKeys([][]byte{testKey}), a)
	assert.Equal(t, "s", c.Name)
	assert.Equal(t, "/auth", c.Path)
	assert.False(t, c.Secure)
	assert.Equal(t, "__Host-x", Attrs{Name: "__Host-x"}.FullName(), "no second prefix")
}

// The memory of used states forgets a state once it expired, at the next
// sweep.
func TestUsedStatesForgetExpired(t *testing.T) {
	u := &usedStates{until: map[string]time.Time{}}
	assert.True(t, u.claim("a", t0.Add(time.Minute), t0))
	assert.False(t, u.claim("a", t0.Add(time.Minute), t0))
	assert.True(t, u.claim("b", t0.Add(3*time.Minute), t0.Add(2*time.Minute)))
	assert.NotContains(t, u.until, "a", "swept")
	assert.Contains(t, u.until, "b")
}

// SameState hashes both sides with SHA-256 and compares the digests with
// crypto/subtle, so its time depends neither on where the states differ
// nor on their lengths; it fails closed on an empty state. Timing cannot
// be asserted without wall clocks, so this pins the behaviour of that path.
func TestSameStateConstantTimePath(t *testing.T) {
	s := testState
	flip := []byte(s)
	flip[len(flip)-1] ^= 1
	for _, tc := range []struct {
		name      string
		got, want string
		same      bool
	}{
		{"equal", s, s, true},
		{"equal length, last byte differs", string(flip), s, false},
		{"prefix", s[:len(s)-1], s, false},
		{"longer", s + "x", s, false},
		{"empty got", "", s, false},
		{"empty want fails closed", s, "", false},
		{"both empty fails closed", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.same, SameState(tc.got, tc.want))
		})
	}
}
