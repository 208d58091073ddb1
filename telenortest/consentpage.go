package telenortest

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
)

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
<head><meta charset="utf-8"><title>Telenor – error</title></head>
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

// writeHTML renders t with data as a complete text/html response.
func writeHTML(w http.ResponseWriter, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		panic("telenortest: " + err.Error()) // the templates are this package's own
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
