package telenor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/telenor-go/telenor/internal/roundtrip"
	"github.com/telenor-go/telenor/internal/wire"
)

// Size limits of API response bodies: user and device info are well under
// 4 KiB; a cap stops a broken or hostile answer from exhausting memory.
const (
	maxAPIBody    = 1 << 20 // JSON answers of the APIs
	maxLogoutBody = 4 << 10 // "OK!"
)

// apiResponse is a 2xx answer with its body read through the size limit.
type apiResponse struct {
	method, path, token string // of the request (token: redacted from an unexpected body)
	status              int
	header              http.Header
	body                []byte
}

// unexpected is the *APIError for a 2xx answer whose body is not what the
// request asked for: a gateway error object, or not the logout's "OK!".
func (r *apiResponse) unexpected() *APIError {
	g, _ := wire.ParseGatewayError(r.body)
	var body []byte
	if len(r.body) > 0 {
		body = bytes.Clone(r.body[:min(len(r.body), maxErrorBody)])
	}
	return apiErrorOf(r.method, r.path, r.status, r.header, body, g, r.token)
}

// call sends a typed method's request through the session's HTTPClient,
// then reads a 2xx body through limit or makes anything else a typed
// error; accept overrides "Accept: application/json" when set. ctx is
// begin's state, or any other ctx for an operation of its own (Logout).
func (s *session) call(ctx context.Context, method, rawURL, accept string, limit int64) (res *apiResponse, err error) {
	if s == nil || s.client == nil {
		return nil, errNoSession()
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("telenor: building %s request: %w", method, err)
	}
	st, ok := ctx.(*roundtrip.State)
	if !ok {
		o := s.begin(ctx, method, req.URL.Path, -1)
		defer func() { o.end(err, 0) }()
		st, req = o.st, req.WithContext(o.st)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if _, err := cacheToken(req.Context(), &s.cache); err != nil { // here, not under HTTPClient.Timeout
		return nil, err
	}
	resp, err := s.httpClient().Do(req)
	if err != nil {
		return nil, roundtrip.RequestError(req, err, int(st.Attempts))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, s.apiError(req, resp, int(st.Attempts))
	}
	body, err := wire.ReadBody(resp, limit)
	if err != nil {
		return nil, roundtrip.CtxFirst(ctx, bodyError(req, err))
	}
	return &apiResponse{method: req.Method, path: req.URL.Path, token: roundtrip.SentToken(req, resp),
		status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// getJSON GETs the resource at path (below Config.BaseURL). When the
// decoded value is suspect (it kept no member of ours), a body that is a
// gateway error object is an *APIError: the gateway has sent errors with a
// 200.
func getJSON[T any](ctx context.Context, s *session, path string, suspect func(*T) bool) (_ *T, err error) {
	if s == nil || s.client == nil {
		return nil, errNoSession()
	}
	o := s.begin(ctx, http.MethodGet, path, -1)
	defer func() { o.end(err, 0) }()
	res, err := s.call(o.st, http.MethodGet, s.client.apiURL(path, nil), "", maxAPIBody)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := decodeJSON(http.MethodGet+" "+path, res, v); err != nil {
		return nil, roundtrip.CtxFirst(ctx, err)
	}
	if suspect(v) && wire.ErrorObject(res.body, wire.Names[T]()...) {
		return nil, res.unexpected()
	}
	return v, nil
}

// apiURL joins path and query to the API base URL.
func (c *Client) apiURL(path string, query url.Values) string {
	u := *c.apiBase
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = query.Encode()
	return u.String()
}

// decodeJSON decodes a 2xx JSON body; anything else is an
// ErrMalformedResponse describing the body.
func decodeJSON(what string, res *apiResponse, out any) error {
	if err := wire.DecodeJSON(res.body, res.header.Get("Content-Type"), out); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformedResponse, what, err)
	}
	return nil
}

// bodyError describes a failure to read a 2xx body. An oversized or
// cut-short body is ErrMalformedResponse.
func bodyError(req *http.Request, err error) error {
	if errors.Is(err, wire.ErrTooLarge) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s %s: %w", ErrMalformedResponse, req.Method, req.URL.Path, err)
	}
	return fmt.Errorf("telenor: %s %s: reading body: %w", req.Method, req.URL.Path, err)
}
