package telenortest

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"
)

// authzState is the authorization endpoint's memory: consent pages
// waiting for an answer and codes waiting to be exchanged. Its zero value
// is ready to use.
type authzState struct {
	consent atomic.Int32 // a Consent set by SetConsent; 0 means the option's

	mu      sync.Mutex
	pending map[string]authRequest // consent pages shown, by request id
	codes   map[string]authRequest // codes issued, by code
}

// authRequest is one authorization request: who asked, where the answer
// goes, and, once approved, whose line was identified.
type authRequest struct {
	ClientID    string
	State       string
	Callback    string // where the browser is sent back
	RedirectURI string // the redirect_uri the request carried, if any
	Challenge   string // the PKCE S256 code_challenge, if any
	Subject     string // the subscriber's mobile number, once approved
	Expires     time.Time
}

// randomID returns 32 random bytes in hex: request ids and codes.
func randomID() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b[:])
}

// put records req under a new random id in m and returns the id,
// forgetting expired entries on the way.
func (a *authzState) put(m *map[string]authRequest, req authRequest) string {
	id := randomID()
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if *m == nil {
		*m = map[string]authRequest{}
	}
	for k, v := range *m {
		if !now.Before(v.Expires) {
			delete(*m, k)
		}
	}
	(*m)[id] = req
	return id
}

// take removes id from m and returns its entry if it had not expired:
// every id works once, whatever happens next.
func (a *authzState) take(m *map[string]authRequest, id string) (authRequest, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	req, ok := (*m)[id]
	if !ok {
		return authRequest{}, false
	}
	delete(*m, id)
	return req, time.Now().Before(req.Expires)
}

// addPending records a consent page waiting for its answer.
func (a *authzState) addPending(req authRequest) string { return a.put(&a.pending, req) }

// takePending returns and forgets a pending consent request.
func (a *authzState) takePending(id string) (authRequest, bool) { return a.take(&a.pending, id) }

// addCode issues an authorization code for an approved request.
func (a *authzState) addCode(req authRequest) string { return a.put(&a.codes, req) }

// redeemCode returns and forgets the request a code was issued for.
func (a *authzState) redeemCode(code string) (authRequest, bool) { return a.take(&a.codes, code) }
