package telenortest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"strconv"
)

// malformedJSON is the ShapeMalformedJSON body: a token response cut short.
const malformedJSON = `{"access_token":"abc","expi`

// writeFault writes the answer of a fault that answers by itself.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f Fault) {
	status := cmp.Or(f.Status, http.StatusOK)
	h := w.Header()
	if f.Size > 0 {
		h.Set("Content-Type", cmp.Or(f.ContentType, "application/json"))
		w.WriteHeader(status)
		s.stream(r.Context(), w, f.Size)
		return
	}
	body, ctype := faultBody(f, status)
	if ctype = cmp.Or(f.ContentType, ctype); ctype != "" {
		h.Set("Content-Type", ctype)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// faultBody returns the body and content type for f answering with
// status.
func faultBody(f Fault, status int) (body, contentType string) {
	const jsonType = "application/json"
	if f.Body != "" {
		return f.Body, jsonType
	}
	msg := cmp.Or(f.Message, http.StatusText(status))
	switch f.Shape {
	case ShapeApigee:
		return string(apigeeFaultJSON(msg, apigeeErrorCode(f.Code, status))), jsonType
	case ShapeOAuth:
		return string(mustJSON(oauthError{Code: oauthErrorCode(status), Description: msg})), jsonType
	case ShapeHTML:
		return htmlPage(status, msg), "text/html; charset=utf-8"
	case ShapeMalformedJSON:
		return malformedJSON, jsonType
	case ShapeEmpty:
		return "", ""
	default: // ShapeTelenor
		return string(telenorErrorJSON(status, f.Code, msg)), jsonType
	}
}

// apigeeErrorCode is the detail.errorcode of an Apigee fault: the Telenor
// code if there is one, else an Apigee policy error name fitting status.
func apigeeErrorCode(code, status int) string {
	if code != 0 {
		return strconv.Itoa(code)
	}
	switch status {
	case http.StatusUnauthorized:
		return "keymanagement.service.invalid_access_token"
	case http.StatusNotFound:
		return "messaging.adaptors.http.flow.ApplicationNotFound"
	case http.StatusTooManyRequests:
		return "policies.ratelimit.QuotaViolation"
	case http.StatusServiceUnavailable:
		return "messaging.adaptors.http.flow.ServiceUnavailable"
	case http.StatusGatewayTimeout:
		return "messaging.adaptors.http.flow.GatewayTimeout"
	}
	return "messaging.runtime.Error"
}

// oauthErrorCode is the RFC 6749 error code fitting status.
func oauthErrorCode(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "invalid_client"
	case status == http.StatusForbidden:
		return "unauthorized_client"
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return "temporarily_unavailable"
	case status >= 500:
		return "server_error"
	}
	return "invalid_request"
}

// htmlPage is the ShapeHTML body.
func htmlPage(status int, msg string) string {
	title := html.EscapeString(fmt.Sprintf("%d %s", status, http.StatusText(status)))
	return "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head>\n" +
		"<body><h1>" + title + "</h1><p>" + html.EscapeString(msg) + "</p></body></html>\n"
}

// stream writes size bytes of a never-ending JSON document,
// {"access_token":"aaaa…, in chunks, without holding it in memory. It
// stops early when a write fails or the request's context ends, and
// aborts the connection when the server closes, so a cut-short body
// never looks complete.
func (s *Server) stream(ctx context.Context, w io.Writer, size int64) {
	filler := bytes.Repeat([]byte{'a'}, 32<<10)
	p := []byte(`{"access_token":"`)
	for size > 0 {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			panic(http.ErrAbortHandler)
		default:
		}
		if int64(len(p)) > size {
			p = p[:size]
		}
		if _, err := w.Write(p); err != nil {
			return
		}
		size -= int64(len(p))
		p = filler
	}
}
