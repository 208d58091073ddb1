package endpoint

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.telenor.no":      true,
		" https://api.telenor.no/ ":   true,
		"http://127.0.0.1:8080":       true,
		"http://localhost:1":          true,
		"http://LOCALHOST":            true,
		"http://[::1]:9":              true,
		"http://api.telenor.no":       false,
		"http://10.0.0.1/oauth/token": false,
		"ftp://api.telenor.no":        false,
		"api.telenor.no":              false,
		"::":                          false,
		"https://u:p@api.telenor.no":  false,
	} {
		_, err := Parse("F", raw)
		if ok {
			assert.NoError(t, err, raw)
			continue
		}
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), "F ", raw)
		assert.NotContains(t, err.Error(), "u:p", raw)
	}
}

func TestParseBase(t *testing.T) {
	u, err := ParseBase("https://api.telenor.no/", "https://example")
	require.NoError(t, err)
	assert.Equal(t, "https://api.telenor.no", u.String())
	for raw, part := range map[string]string{
		"https://api.telenor.no/oauth":       "path",
		"https://api.telenor.no?key=s3cr3t":  "query",
		"https://api.telenor.no/?":           "query",
		"https://api.telenor.no#frag":        "fragment",
		"https://api.telenor.no/v1?x=1#frag": "path and query and fragment",
	} {
		_, err := ParseBase(raw, "https://example")
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), "has a "+part, raw)
		assert.Contains(t, err.Error(), "such as https://example", raw)
		assert.NotContains(t, err.Error(), "s3cr3t", raw)
	}
}

func TestResolve(t *testing.T) {
	base, _ := url.Parse("https://api.telenor.no")
	got, err := Resolve(base, "/oauth/token", "F", "")
	require.NoError(t, err)
	assert.Equal(t, "https://api.telenor.no/oauth/token", got, "derived from base")
	got, err = Resolve(base, "/oauth/token", "F", "https://other.example/token/")
	require.NoError(t, err)
	assert.Equal(t, "https://other.example/token", got, "as set, checked")
	_, err = Resolve(base, "/oauth/token", "F", "http://other.example/token")
	assert.ErrorContains(t, err, "F uses plain http")
}
