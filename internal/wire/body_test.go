package wire

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadBody(t *testing.T) {
	resp := func(body string, n int64) *http.Response {
		return &http.Response{Body: io.NopCloser(strings.NewReader(body)), ContentLength: n}
	}
	b, err := ReadBody(resp("hello", 5), 10)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(b))
	b, err = ReadBody(resp("hello", -1), 10)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(b), "unknown length")
	_, err = ReadBody(resp("hello", 11), 10)
	assert.ErrorIs(t, err, ErrTooLarge, "declared too long: nothing read")
	_, err = ReadBody(resp(strings.Repeat("x", 11), -1), 10)
	assert.ErrorIs(t, err, ErrTooLarge)
	_, err = ReadBody(resp("hel", 5), 10)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "cut short")
}

func TestDecodeJSON(t *testing.T) {
	var v map[string]int
	require.NoError(t, DecodeJSON([]byte(` {"a":1} `), "text/plain", &v), "the body decides, not the type")
	assert.Equal(t, 1, v["a"])

	err := DecodeJSON([]byte("<html>x</html>"), "", &v)
	require.Error(t, err)
	assert.Equal(t, `14-byte body (no Content-Type) is not JSON: "<html>x</html>"`, err.Error())

	err = DecodeJSON(append([]byte(`{"a":`), bytes.Repeat([]byte("1"), 400)...), "application/json", &v)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(application/json) is not valid JSON")
	assert.Contains(t, err.Error(), `…"`, "quotes only the start")
}
