package endpoint

import (
	"errors"
	"net/http"
	"net/url"
)

// CheckRedirect returns an http.Client redirect policy for the API: it
// stops at the 3xx when stop(req) says so, strips the Authorization
// header from a redirect that leaves base's scheme and host (net/http
// keeps it for subdomains and https-to-http), then lets next, or
// net/http's default of 10 redirects, decide.
func CheckRedirect(base *url.URL, stop func(*http.Request) bool, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if stop(req) {
			return http.ErrUseLastResponse // the 3xx itself is the answer
		}
		if !SameOrigin(req.URL, base) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}
