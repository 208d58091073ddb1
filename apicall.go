package telenor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/telenor-go/telenor/internal/wire"
)

// Size limits of API response bodies. User and device info are well
// under 4 KiB; the cap only stops a broken or hostile answer from
// exhausting memory.
const (
	maxAPIBody    = 1 << 20 // JSON answers of the APIs
	maxLogoutBody = 4 << 10 // "OK!"
	snippetLen    = 256     // how much of a body a malformed-response error quotes
)

// apiResponse is a 2xx answer with its body read through the size limit.
type apiResponse struct {
	method, path string // of the request
	status       int
	header       http.Header
	body         []byte
}

// unexpected is the *APIError for a 2xx answer whose body is not what the
// request asked for: a gateway error object, or not the logout's "OK!".
// It keeps what an error answer's *APIError keeps.
func (r *apiResponse) unexpected() *APIError {
	ae := &APIError{Method: r.method, Path: r.path, StatusCode: r.status, RequestID: requestID(r.header)}
	if len(r.body) > 0 {
		ae.Body = bytes.Clone(r.body[:min(len(r.body), maxErrorBody)])
	}
	g, _ := wire.ParseGatewayError(r.body)
	ae.setGateway(g)
	return ae
}

// call is the shared API path of every typed method: it builds the request,
// sends it through the session's HTTPClient (which adds the Bearer token
// for the API host only, retries GETs on 429/5xx/resets with backoff and
// Retry-After, and replays a system user's request once after a 401 for a
// rejected token), then reads a 2xx body through limit or turns anything
// else into a typed error: *APIError (matching ErrReauthenticate for a
// rejected user token), the token's own error, or ErrMalformedResponse for
// a body over limit. accept overrides "Accept: application/json" when set.
//
// ctx is the state from begin for a typed method that decodes the answer;
// any other ctx makes the request an operation of its own (Logout).
func (s *session) call(ctx context.Context, method, rawURL, accept string, limit int64) (res *apiResponse, err error) {
	if s == nil || s.client == nil {
		return nil, errNoSession()
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("telenor: building %s request: %w", method, err)
	}
	st, ok := ctx.(*callState)
	if !ok {
		o := s.begin(ctx, method, req.URL.Path, -1)
		defer func() { o.end(err, 0) }()
		st, req = o.st, req.WithContext(o.st)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := s.httpClient().Do(req)
	if err != nil {
		return nil, requestError(req, err, int(st.attempts))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, s.apiError(req, resp, int(st.attempts))
	}
	body, err := readBody(resp, limit)
	if err != nil {
		return nil, ctxFirst(ctx, bodyError(req, err))
	}
	return &apiResponse{method: req.Method, path: req.URL.Path, status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// getJSON is call for a GET of path (below Config.BaseURL) with query,
// decoding the JSON answer into out (which decides how lenient to be).
// When out kept members it does not model (suspect), a body that is a
// gateway error object rather than a resource with the members known is
// an *APIError: the gateway has sent errors with a 200.
func (s *session) getJSON(ctx context.Context, path string, query url.Values, out any, suspect func() bool, known ...string) (err error) {
	if s == nil || s.client == nil {
		return errNoSession()
	}
	o := s.begin(ctx, http.MethodGet, path, -1)
	defer func() { o.end(err, 0) }()
	res, err := s.call(o.st, http.MethodGet, s.client.apiURL(path, query), "", maxAPIBody)
	if err != nil {
		return err
	}
	if err := decodeJSON(http.MethodGet+" "+path, res, out); err != nil {
		return ctxFirst(ctx, err)
	}
	if suspect() && errorObject(res.body, known...) {
		return res.unexpected()
	}
	return nil
}

// apiURL joins path and query to the API base URL.
func (c *Client) apiURL(path string, query url.Values) string {
	u := *c.apiBase
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = query.Encode()
	return u.String()
}

// decodeJSON decodes a 2xx JSON body. The gateway's Content-Type is only a
// hint (it has labelled JSON as text before), so the body decides: it must
// be a JSON object or array. Anything else, or JSON cut short, is an
// ErrMalformedResponse that quotes the start of the body: API bodies are
// user data, not credentials.
func decodeJSON(what string, res *apiResponse, out any) error {
	b := bytes.TrimSpace(res.body)
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') {
		return malformed(what, res, "is not JSON", nil)
	}
	if err := unmarshal(b, out); err != nil {
		return malformed(what, res, "is not valid JSON", err)
	}
	return nil
}

// unmarshal decodes b into out, which must be a non-nil pointer. A type
// with its own UnmarshalJSON is called directly: json.Unmarshal would first
// scan all of b to validate it, and every decoder in this package validates
// as it decodes (through json.Unmarshal of the whole input), so that scan
// would be a second full pass over every response body.
func unmarshal(b []byte, out any) error {
	if u, ok := out.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(b)
	}
	return json.Unmarshal(b, out)
}

func malformed(what string, res *apiResponse, problem string, err error) error {
	ctype := res.header.Get("Content-Type")
	if ctype == "" {
		ctype = "no Content-Type"
	}
	msg := fmt.Sprintf("%s: %d-byte body (%s) %s: %q", what, len(res.body), ctype, problem,
		wire.Snippet(res.body, snippetLen))
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformedResponse, msg, err)
	}
	return fmt.Errorf("%w: %s", ErrMalformedResponse, msg)
}

// readBody reads resp's body through limit. A declared length over the
// limit fails before reading anything.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, &wire.TooLargeError{Limit: limit}
	}
	if n := resp.ContentLength; n > 0 {
		b := make([]byte, n) // exact size: one allocation on the hot path
		if _, err := io.ReadFull(resp.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return wire.ReadLimited(resp.Body, limit)
}

// bodyError describes a failure to read a 2xx body. An oversized or
// cut-short body is ErrMalformedResponse.
func bodyError(req *http.Request, err error) error {
	if errors.Is(err, wire.ErrTooLarge) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s %s: %w", ErrMalformedResponse, req.Method, req.URL.Path, err)
	}
	return fmt.Errorf("telenor: %s %s: reading body: %w", req.Method, req.URL.Path, err)
}

// requestError describes a request that got no response after attempts
// requests. A failure to get the token is returned as it is: it already
// says what to do.
func requestError(req *http.Request, err error, attempts int) error {
	var tf *tokenFailure
	if errors.As(err, &tf) {
		return tf.err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the URL
	}
	if attempts > 1 {
		return fmt.Errorf("telenor: %s %s: %w (after %d attempts)", req.Method, req.URL.Path, err, attempts)
	}
	return fmt.Errorf("telenor: %s %s: %w", req.Method, req.URL.Path, err)
}

// ctxFirst returns err, unless ctx has ended: then the caller's own
// cancellation or deadline is the cause. When a deadline cuts a body,
// net/http can hand over the cut body as if complete, which would
// otherwise read as a malformed response.
func ctxFirst(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (while reading the answer: %v)", ctxErr, err)
	}
	return err
}
