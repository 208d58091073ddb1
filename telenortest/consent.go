package telenortest

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
)

// Consent says how the fake authorization endpoint gets the end user's
// answer.
type Consent int

const (
	// ConsentPage shows an HTML consent page with Approve and Deny
	// buttons, as Telenor does: for browser tests and example programs.
	// It is the default.
	ConsentPage Consent = iota + 1
	// ConsentAutoApprove approves at once and redirects with a code: for
	// tests that drive the flow with a plain http.Client.
	ConsentAutoApprove
	// ConsentAutoDeny refuses at once and redirects with
	// error=access_denied.
	ConsentAutoDeny
)

// String returns the constant's name without the Consent prefix.
func (c Consent) String() string {
	switch c {
	case ConsentPage:
		return "Page"
	case ConsentAutoApprove:
		return "AutoApprove"
	case ConsentAutoDeny:
		return "AutoDeny"
	}
	return "Consent(" + strconv.Itoa(int(c)) + ")"
}

// WithConsent sets how the end user answers the consent step; see
// [Consent]. [Server.SetConsent] changes it at run time.
func WithConsent(c Consent) Option {
	return func(o *options) { o.consent = c }
}

// SetConsent changes how the end user answers the consent step from now
// on; see [WithConsent]. Consent pages already shown still work.
func (s *Server) SetConsent(c Consent) { s.authz.consent.Store(int32(c)) }

// consent returns the consent mode in force.
func (s *Server) consent() Consent {
	if c := Consent(s.authz.consent.Load()); c != 0 {
		return c
	}
	return s.opts.consent
}

// answerConsent handles the consent page's form: the pending request it
// names is used once, whatever the answer.
func (s *Server) answerConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeErrorPage(w, http.StatusBadRequest, "Malformed form.")
		return
	}
	req, ok := s.authz.pending.take(r.PostForm.Get("request"))
	if !ok {
		writeErrorPage(w, http.StatusBadRequest, "This login request is unknown, was already answered, or has expired. Start again from the app.")
		return
	}
	switch r.PostForm.Get("decision") {
	case "approve":
		s.approve(w, r, req, http.StatusSeeOther)
	case "deny":
		deny(w, r, req, http.StatusSeeOther)
	default:
		writeErrorPage(w, http.StatusBadRequest, "Choose Approve or Deny.")
	}
}

// consentTemplate is the plain-HTML consent page. It is parsed once and
// only ever executed, which is safe from any number of goroutines.
var consentTemplate = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Telenor – confirm sharing</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:0 auto;padding:1rem}button{min-height:48px;min-width:7rem;font:inherit;margin:0 .5rem .5rem 0}</style></head>
<body>
<h1>Log in with your mobile</h1>
<p>Your mobile network identified this line:</p>
<p id="subscriber"><strong id="name">{{.Name}}</strong>, <span id="mobile-number">{{.MobileNumber}}</span></p>
<p>Do you allow the app to see your information?</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="request" value="{{.Request}}">
<button type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>
</body>
</html>
`))

// errorTemplate is the plain-HTML error page.
var errorTemplate = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Telenor – error</title></head>
<body>
<h1>Something went wrong</h1>
<p id="error">{{.}}</p>
</body>
</html>
`))

// writeConsentPage shows sub the consent page for pending request id.
// The request itself stays on the server: the form carries only its
// random id, so a browser cannot change where the code goes.
func writeConsentPage(w http.ResponseWriter, sub Subscriber, id string) {
	writeHTML(w, http.StatusOK, consentTemplate, map[string]string{
		"Name":         sub.FullName(),
		"MobileNumber": sub.MobileNumber,
		"Action":       AuthPath,
		"Request":      id,
	})
}

// writeErrorPage answers with an HTML page stating problem.
func writeErrorPage(w http.ResponseWriter, status int, problem string) {
	writeHTML(w, status, errorTemplate, problem)
}

// writeHTML renders t with data as a complete text/html response that no
// cache keeps and no other site frames.
func writeHTML(w http.ResponseWriter, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		panic("telenortest: " + err.Error()) // the templates are this package's own
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	writeBody(w, status, "text/html; charset=utf-8", buf.Bytes())
}
