package telenor

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor/telenortest"
)

// crossOutcome is what a caller can observe of one API call: enough to
// compare two runs of the same API fault.
type crossOutcome struct {
	ok           bool
	status, code int  // from an *APIError
	malformed    bool // errors.Is(err, ErrMalformedResponse)
	api, tokens  int  // requests that reached the API path and the token endpoint
	leaked       bool // an Authorization header reached another host
}

// runCross makes one Organizations call on a system user's Session while
// the token endpoint suffers token (nil: healthy) and the API suffers api.
func runCross(t *testing.T, token *tokenFaultRow, api apiFaultRow) (crossOutcome, error) {
	var opts []telenortest.Option
	if token != nil && token.check == nil {
		// A row that yields a token answers with a canned token the fake
		// never issued; have the fake issue a real one with the row's
		// expires_in instead, so the API accepts it.
		opts = append(opts, telenortest.WithRawExpiresIn(rawExpiresIn(t, token.fault.Body)))
		token = nil
	}
	srv, router, cli := matrixClient(t, opts...)
	if token != nil {
		srv.Fail(telenortest.PasswordTokenPath, 1<<20, token.fault)
	}
	srv.Fail(telenortest.OrganizationsPath, api.times, api.fault)
	_, err := systemSession(cli).Organizations(t.Context())
	out := crossOutcome{
		ok:        err == nil,
		malformed: errors.Is(err, ErrMalformedResponse),
		api:       srv.Requests(telenortest.OrganizationsPath),
		tokens:    srv.TokenRequests(),
	}
	var ae *APIError
	if errors.As(err, &ae) {
		out.status, out.code = ae.StatusCode, ae.Code
	}
	for _, auth := range router.seen() {
		out.leaked = out.leaked || auth != ""
	}
	return out, err
}

// rawExpiresIn returns the expires_in JSON of a token response body, or
// "" when it has none.
func rawExpiresIn(t *testing.T, body string) string {
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(body), &m))
	return string(m["expires_in"])
}

// TestFaultMatrixCrossProduct runs every token endpoint fault with every
// API fault, on a system user's Session. The rule it checks: a token that
// cannot be had ends the call with the token row's own outcome before any
// API request; a token that can be had (however odd its expires_in) leaves
// the API row's outcome exactly as it is with a healthy token endpoint.
// Across all pairs no secret appears in an error and no token reaches
// another host.
func TestFaultMatrixCrossProduct(t *testing.T) {
	for _, tok := range tokenFaultRows() {
		for _, api := range apiFaultRows() {
			t.Run(tok.name+" × "+api.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					got, err := runCross(t, &tok, api)
					assert.False(t, got.leaked, "no Authorization header reaches another host")
					if err != nil {
						assert.NotContains(t, err.Error(), telenortest.DefaultClientSecret)
						assert.NotContains(t, err.Error(), telenortest.DefaultPassword)
					}
					if tok.check != nil {
						require.Error(t, err)
						tok.check(t, err)
						assert.Zero(t, got.api, "no API request without a token")
						assert.Equal(t, tok.requests, got.tokens, "token requests as for the token fault alone")
						return
					}
					want, _ := runCross(t, nil, api)
					assert.Equal(t, want, got, "the API fault's outcome does not depend on expires_in")
				})
			})
		}
	}
}

// The cross product covers every row of both tables.
func TestFaultMatrixCrossProductSize(t *testing.T) {
	n := len(tokenFaultRows()) * len(apiFaultRows())
	assert.GreaterOrEqual(t, n, 17*17)
	for _, r := range apiFaultRows() {
		assert.False(t, strings.Contains(r.name, "×"), "row names stay readable in the product")
	}
}
