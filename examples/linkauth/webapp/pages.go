package webapp

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"github.com/telenor-go/telenor"
)

// pageTemplates are the app's pages. html/template escapes every value, so
// names and texts from Telenor (or from a crafted callback URL) cannot
// inject markup. Element ids are stable: tests and browser tests use them.
const pageTemplates = `
{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}} – linkauth example</title>
<style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em}dt{font-weight:bold}</style>
</head>
<body>
{{end}}

{{define "home"}}{{template "head" "Welcome"}}
<h1 id="title">Welcome</h1>
<p>Log in without a password: Telenor's mobile network recognises your line.
On a phone, turn Wi-Fi off and use mobile data.</p>
<form method="post" action="/login">
<button type="submit" id="login">Log in with your mobile</button>
</form>
</body></html>
{{end}}

{{define "me"}}{{template "head" "Your details"}}
<h1 id="title">Your details</h1>
<dl>
<dt>Name</dt><dd id="name">{{.Name}}</dd>
<dt>Mobile number</dt><dd id="mobile-number">{{.MobileNumber}}</dd>
<dt>Device</dt><dd><span id="device-manufacturer">{{.Manufacturer}}</span> <span id="device-model">{{.Model}}</span></dd>
</dl>
<h2>Device capabilities</h2>
<dl id="capabilities">
{{range .Capabilities}}<dt>{{.Label}}</dt><dd data-capability="{{.Label}}">{{status .Supported}}</dd>
{{end}}</dl>
<form method="post" action="/logout">
<button type="submit" id="logout">Log out</button>
</form>
</body></html>
{{end}}

{{define "problem"}}{{template "head" .Title}}
<h1 id="title">{{.Title}}</h1>
<p id="problem">{{.Message}}</p>
{{if .Detail}}<p>Telenor said: <q id="telenor-description">{{.Detail}}</q></p>{{end}}
<p><a id="try-again" href="/">Try again</a></p>
</body></html>
{{end}}
`

// parsePages parses the page templates; they are the package's own, so a
// failure is a bug.
func parsePages() *template.Template {
	return template.Must(template.New("pages").Funcs(template.FuncMap{"status": status}).Parse(pageTemplates))
}

// status shows a capability's support: "unknown" when the gateway did not
// say.
func status(supported *bool) string {
	switch {
	case supported == nil:
		return "unknown"
	case *supported:
		return "yes"
	}
	return "no"
}

// problemPage is the data of the "problem" page.
type problemPage struct {
	Title   string
	Message string
	Detail  string // Telenor's own words, when it gave any
}

// mePage is the data of the "me" page.
type mePage struct {
	Name, MobileNumber  string
	Manufacturer, Model string
	Capabilities        []telenor.Capability
}

// render writes the named page with status. The page is rendered to a
// buffer first, so a template error never sends half a page.
func (a *app) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, name, data); err != nil {
		a.log.Error("linkauth: rendering page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store") // pages may show personal data
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// problem shows the problem page.
func (a *app) problem(w http.ResponseWriter, status int, p problemPage) {
	a.render(w, status, "problem", p)
}
