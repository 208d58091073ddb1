package webapp

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"
	"net/http"
	"strconv"
)

// pageTemplates are the app's pages. html/template escapes every value, so
// names and texts from Telenor (or from a crafted callback URL) cannot
// inject markup. Element ids are stable: tests and browser tests use them.
const pageTemplates = `
{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}} – linkauth example</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="bar">linkauth <small>example app</small></header>
<main>
{{end}}

{{define "foot"}}</main>
</body>
</html>
{{end}}

{{define "home"}}{{if .LoggedIn}}{{template "head" "You are logged in"}}
<h1 id="title">You are logged in</h1>
<p>Telenor's mobile network confirmed your line.</p>
<a class="button" id="details" href="/me">See your details</a>
{{template "logout"}}
{{else}}{{template "head" "Welcome"}}
<h1 id="title">Welcome</h1>
<p>Log in without a password: Telenor's mobile network recognises your line.</p>
<p class="hint">On a phone, turn Wi-Fi off and use mobile data.</p>
<form method="post" action="/login">
<button type="submit" class="button" id="login">Log in with your mobile</button>
</form>
{{end}}{{template "foot"}}{{end}}

{{define "logout"}}<form method="post" action="/logout">
<button type="submit" class="button secondary" id="logout">Log out</button>
</form>{{end}}

{{define "me"}}{{template "head" "Your details"}}
<h1 id="title">Your details</h1>
<dl class="card">
<dt>Name</dt><dd id="name">{{.Name}}</dd>
<dt>Mobile number</dt><dd id="mobile-number" class="nowrap">{{.MobileNumber}}</dd>
<dt>Device</dt><dd><span id="device-manufacturer">{{.Manufacturer}}</span> <span id="device-model">{{.Model}}</span></dd>
</dl>
<h2>What your device supports</h2>
<div class="card"><ul id="capabilities">
{{range .Capabilities}}<li><span>{{.Label}}</span> <span data-capability="{{.Label}}" data-status="{{.Status}}">{{.Status}}</span></li>
{{end}}</ul></div>
{{template "logout"}}
{{template "foot"}}{{end}}

{{define "problem"}}{{template "head" .Title}}
<h1 id="title">{{.Title}}</h1>
<p id="problem">{{.Message}}</p>
<a class="button" id="try-again" href="/">Try again</a>
{{template "foot"}}{{end}}
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

// homePage is the data of the "home" page.
type homePage struct {
	LoggedIn bool
}

// problemPage is the data of the "problem" page: what happened and what
// to do, in the user's words. Telenor's own words (OAuth error codes and
// descriptions) go to the log, not to the page.
type problemPage struct {
	Title   string
	Message string
}

// mePage is the data of the "me" page.
type mePage struct {
	Name                string
	MobileNumber        string // formatted by formatMobileNumber
	Manufacturer, Model string
	Capabilities        []capabilityRow
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
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// problem shows the problem page.
func (a *app) problem(w http.ResponseWriter, status int, p problemPage) {
	a.render(w, status, "problem", p)
}

// styleCSS is the app's one stylesheet, served at /style.css. A file of
// its own, rather than a <style> element, lets the pages' Content-Security-
// Policy forbid inline styles.
//
//go:embed style.css
var styleCSS string

// style serves the stylesheet. It holds no personal data, so browsers may
// cache it for an hour.
func (a *app) style(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = io.WriteString(w, styleCSS)
}
