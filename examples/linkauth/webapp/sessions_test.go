package webapp

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What scs hands the store is sealed: it shows no value, and opens only
// with the key it was sealed with.
func TestSessionsAreSealedAtRest(t *testing.T) {
	key := bytes.Repeat([]byte("k"), 32)
	c, err := newSealedCodec(key)
	require.NoError(t, err)
	deadline := time.Now().Add(time.Hour).Round(0)
	b, err := c.Encode(deadline, map[string]any{tokenKey: []byte(`{"access_token":"secret-token"}`)})
	require.NoError(t, err)
	assert.NotContains(t, string(b), "secret-token")

	got, values, err := c.Decode(b)
	require.NoError(t, err)
	assert.True(t, deadline.Equal(got))
	assert.Equal(t, []byte(`{"access_token":"secret-token"}`), values[tokenKey])

	other, err := newSealedCodec(bytes.Repeat([]byte("o"), 32))
	require.NoError(t, err)
	_, _, err = other.Decode(b)
	assert.ErrorContains(t, err, "does not open")
	_, _, err = c.Decode(b[:5])
	assert.Error(t, err)
}
