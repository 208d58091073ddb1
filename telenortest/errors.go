package telenortest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// The gateway answers errors in three shapes, depending on who answers:
// Telenor's API proxies, Apigee's own policies, or the OAuth endpoints.

// telenorError is the Telenor gateway's error body.
type telenorError struct {
	HTTPStatus  int    `json:"httpStatus"`
	HTTPMessage string `json:"httpMessage"`
	Description string `json:"description"`
	ErrorCode   int    `json:"errorCode"`
}

// apigeeFault is the error body Apigee policies produce.
type apigeeFault struct {
	Fault struct {
		FaultString string `json:"faultstring"`
		Detail      struct {
			ErrorCode string `json:"errorcode"`
		} `json:"detail"`
	} `json:"fault"`
}

// oauthError is an RFC 6749 section 5.2 error response with its status.
type oauthError struct {
	status      int
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// badRequest is a 400 OAuth error.
func badRequest(code, description string) *oauthError {
	return &oauthError{http.StatusBadRequest, code, description}
}

func telenorErrorJSON(status, code int, description string) []byte {
	return mustJSON(telenorError{HTTPStatus: status, HTTPMessage: http.StatusText(status), Description: description, ErrorCode: code})
}

func apigeeFaultJSON(faultString, errorCode string) []byte {
	var f apigeeFault
	f.Fault.FaultString = faultString
	f.Fault.Detail.ErrorCode = errorCode
	return mustJSON(f)
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

// writeTelenorError writes a Telenor gateway error, the shape API
// endpoints use (e.g. 401 with code 40105 for a revoked token).
func writeTelenorError(w http.ResponseWriter, status, code int, description string) {
	writeJSON(w, status, telenorErrorJSON(status, code, description))
}

// writeApigeeFault writes an Apigee fault body.
func writeApigeeFault(w http.ResponseWriter, status int, faultString, errorCode string) {
	writeJSON(w, status, apigeeFaultJSON(faultString, errorCode))
}

// writeOAuthError writes e as an RFC 6749 error.
func writeOAuthError(w http.ResponseWriter, e *oauthError) {
	writeJSON(w, e.status, mustJSON(e))
}

// writeJSON writes body as a complete application/json response.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	writeBody(w, status, "application/json", body)
}

// writeBody writes a complete response with a Content-Length, so that
// clients see exactly what a real gateway sends; an empty contentType
// sends none.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// mustJSON marshals v, which must be one of this package's plain structs.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("telenortest: " + err.Error())
	}
	return b
}
