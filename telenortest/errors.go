package telenortest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

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

// invalidClientBody is the token endpoint's answer to failed client
// authentication: Telenor's gateway code mixed with RFC 6749 fields.
const invalidClientBody = `{"errorCode":40108,"httpStatus":401,"httpMessage":"Unauthorized",` +
	`"description":"Invalid client id or secret","error":"invalid_client",` +
	`"error_description":"Invalid client id or secret"}`

func telenorErrorJSON(status, code int, description string) []byte {
	return mustJSON(telenorError{
		HTTPStatus:  status,
		HTTPMessage: http.StatusText(status),
		Description: description,
		ErrorCode:   code,
	})
}

func apigeeFaultJSON(faultString, errorCode string) []byte {
	var f apigeeFault
	f.Fault.FaultString = faultString
	f.Fault.Detail.ErrorCode = errorCode
	return mustJSON(f)
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
	h := w.Header()
	h.Set("Content-Type", "application/json")
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
