package telenortest

import (
	"strconv"
	"time"
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

// DefaultCodeLifetime is how long an authorization code can be exchanged
// unless [WithCodeLifetime] says otherwise. Codes are short-lived so that
// a leaked callback URL is soon worthless.
const DefaultCodeLifetime = 60 * time.Second

// pendingLifetime bounds how long a consent page can wait for its answer.
const pendingLifetime = 10 * time.Minute

// authzOptions are the options of the authorization endpoint; the zero
// value means the defaults.
type authzOptions struct {
	consent         Consent
	redirectURL     string
	codeLifetime    time.Duration
	codeLifetimeSet bool // so that WithCodeLifetime(0) means "already expired"
}

// WithConsent sets how the end user answers the consent step; see
// [Consent]. [Server.SetConsent] changes it at run time.
func WithConsent(c Consent) Option {
	return func(o *options) { o.authz.consent = c }
}

// WithRedirectURL registers the app's callback URL, as the Telenor
// dashboard does: an absolute http(s) URL without a fragment. The
// authorization endpoint redirects only there. It answers with an error
// page, and redirects nowhere, when no callback is registered or when the
// request's redirect_uri is not exactly this URL. A code requested with a
// redirect_uri is exchanged only with the identical redirect_uri (RFC 6749
// section 4.1.3).
func WithRedirectURL(callback string) Option {
	return func(o *options) { o.authz.redirectURL = callback }
}

// WithCodeLifetime sets how long an authorization code can be exchanged
// (default [DefaultCodeLifetime]). Zero or negative lifetimes issue codes
// that have already expired.
func WithCodeLifetime(d time.Duration) Option {
	return func(o *options) {
		o.authz.codeLifetime = d
		o.authz.codeLifetimeSet = true
	}
}

// SetConsent changes how the end user answers the consent step from now
// on; see [WithConsent]. Consent pages already shown still work.
func (s *Server) SetConsent(c Consent) { s.authz.consent.Store(int32(c)) }

// consent returns the consent mode in force.
func (s *Server) consent() Consent {
	if c := Consent(s.authz.consent.Load()); c != 0 {
		return c
	}
	if s.opts.authz.consent != 0 {
		return s.opts.authz.consent
	}
	return ConsentPage
}

// codeLifetime returns the configured authorization-code lifetime.
func (s *Server) codeLifetime() time.Duration {
	if s.opts.authz.codeLifetimeSet {
		return s.opts.authz.codeLifetime
	}
	return DefaultCodeLifetime
}
