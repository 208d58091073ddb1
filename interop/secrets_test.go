package interop

import (
	"context"
	"encoding/base64"
	"fmt"
	"go/token"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// secretSet names the values that must never be printed: in an error's
// text, in %v/%+v/%#v of it, in anything reachable from it (a deep
// printer such as testify's diff walks unexported fields and pointers),
// or in a log record.
type secretSet map[string]string // label -> value

// withBasic adds the HTTP Basic credential x/oauth2 builds from id and
// secret (both URL-encoded, then base64): printing a kept request's
// header would show exactly that string.
func (s secretSet) withBasic(id, secret string) secretSet {
	s["Basic credential"] = base64.StdEncoding.EncodeToString(
		[]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
	return s
}

// find returns the labels of the secrets text contains.
func (s secretSet) find(text string) []string {
	var found []string
	for label, v := range s {
		if v != "" && strings.Contains(text, v) {
			found = append(found, label)
		}
	}
	return found
}

// checkNoSecrets fails t if err (its text, its printed forms or anything
// reachable from it) or logs contain a secret (issue 13 §5, contract item 5).
func checkNoSecrets(t *testing.T, s secretSet, err error, logs string) {
	t.Helper()
	if err != nil {
		for _, form := range []struct{ name, text string }{
			{"err.Error()", err.Error()},
			{"%v", fmt.Sprintf("%v", err)},
			{"%+v", fmt.Sprintf("%+v", err)},
			{"%#v", fmt.Sprintf("%#v", err)},
			{"a deep print (every field reachable from the error)", deepText(err)},
		} {
			if found := s.find(form.text); len(found) > 0 {
				t.Errorf("contract item 5: %s of the returned error contains %v; no secret may be reachable from an error", form.name, found)
			}
		}
	}
	if found := s.find(logs); len(found) > 0 {
		t.Errorf("contract item 5: the slog output contains %v; secrets never appear in log records", found)
	}
}

// deepText returns every string and byte slice reachable from v,
// unexported fields, pointers, maps and interfaces included: what go-spew
// (testify's diff) would print, minus the formatting. Cycles are cut and
// the walk is bounded. It does not enter live machinery that other
// goroutines are using (contexts, connections, transports, net/http's
// internals, locks): reading it would be a data race, and a kept request's
// headers and body, where secrets sit, are reached without it.
func deepText(v any) string {
	w := &walker{seen: map[walkKey]bool{}, budget: 1 << 20}
	w.walk(reflect.ValueOf(v), 0)
	return w.out.String()
}

type walkKey struct {
	ptr uintptr
	typ reflect.Type
	n   int
}

type walker struct {
	out    strings.Builder
	seen   map[walkKey]bool
	budget int
}

func (w *walker) walk(v reflect.Value, depth int) {
	if !v.IsValid() || depth > 48 || w.budget <= 0 || live(v.Type()) {
		return
	}
	w.budget--
	switch v.Kind() {
	case reflect.String:
		w.out.WriteString(v.String())
		w.out.WriteByte('\n')
	case reflect.Pointer, reflect.Map:
		if v.IsNil() || w.visited(v, 0) {
			return
		}
		if v.Kind() == reflect.Pointer {
			w.walk(v.Elem(), depth+1)
			return
		}
		for it := v.MapRange(); it.Next(); {
			w.walk(it.Key(), depth+1)
			w.walk(it.Value(), depth+1)
		}
	case reflect.Slice:
		if v.IsNil() || w.visited(v, v.Len()) {
			return
		}
		w.walkList(v, depth)
	case reflect.Array:
		w.walkList(v, depth)
	case reflect.Interface:
		w.walk(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			w.walk(v.Field(i), depth+1)
		}
	}
}

// walkList writes byte sequences as text and walks other elements.
func (w *walker) walkList(v reflect.Value, depth int) {
	if v.Type().Elem().Kind() == reflect.Uint8 {
		b := make([]byte, v.Len())
		for i := range b {
			b[i] = byte(v.Index(i).Uint())
		}
		w.out.Write(b)
		w.out.WriteByte('\n')
		return
	}
	for i := range v.Len() {
		w.walk(v.Index(i), depth+1)
	}
}

func (w *walker) visited(v reflect.Value, n int) bool {
	k := walkKey{v.Pointer(), v.Type(), n}
	if w.seen[k] {
		return true
	}
	w.seen[k] = true
	return false
}

var (
	contextType      = reflect.TypeFor[context.Context]()
	connType         = reflect.TypeFor[net.Conn]()
	roundTripperType = reflect.TypeFor[http.RoundTripper]()
	clientType       = reflect.TypeFor[http.Client]()
)

// live reports types whose values other goroutines may be changing.
func live(t reflect.Type) bool {
	if t.Kind() == reflect.Interface {
		return false // decided by the dynamic type
	}
	for _, i := range []reflect.Type{contextType, connType, roundTripperType} {
		if t.Implements(i) || reflect.PointerTo(t).Implements(i) {
			return true
		}
	}
	if t == clientType {
		return true
	}
	pkg := t.PkgPath()
	switch {
	case pkg == "sync", pkg == "sync/atomic", pkg == "context", pkg == "runtime",
		pkg == "net", pkg == "crypto/tls", pkg == "bufio", strings.HasPrefix(pkg, "internal/"):
		return true
	case pkg == "net/http":
		return !token.IsExported(t.Name()) // persistConn, body, bodyEOFSignal...
	}
	return false
}

// TestDeepTextSeesKeptRequests checks the checker: a secret held in a
// request kept inside an error is found, through headers and body.
func TestDeepTextSeesKeptRequests(t *testing.T) {
	req, err := http.NewRequest(http.MethodPost, "https://example.com/oauth/token", strings.NewReader("password=pw-in-body"))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("id", "secret-in-header")
	kept := fmt.Errorf("wrapped: %w", &keptErr{req: req})
	s := secretSet{"body": "pw-in-body"}.withBasic("id", "secret-in-header")
	if found := s.find(deepText(kept)); len(found) != 2 {
		t.Errorf("deepText found %v, want both the Basic credential and the body", found)
	}
}

type keptErr struct{ req *http.Request }

func (e *keptErr) Error() string { return "kept" }
