package redisstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// A sealed token, as Redis stores it:
//
//	version (1 byte) | fingerprint (16) | nonce (12) | AES-GCM ciphertext and tag
//
// The fingerprint is a hash of the access token, so that the
// compare-and-delete script can tell which token a value holds without
// being able to decrypt it; the access token is random and long, so its
// hash reveals nothing. The Redis key name is the additional data: a value
// copied under another key does not open.
const (
	sealVersion    = 1
	fingerprintLen = 16
	headerLen      = 1 + fingerprintLen
)

// sealer encrypts with the first key and decrypts with any.
type sealer struct {
	aeads []cipher.AEAD
}

func newSealer(keys [][]byte) (*sealer, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: Keys is empty; give at least one key of %d random bytes", ErrInvalidOptions, KeySize)
	}
	s := &sealer{}
	for i, k := range keys {
		if len(k) != KeySize {
			return nil, fmt.Errorf("%w: key %d has %d bytes; each key must have %d random bytes", ErrInvalidOptions, i, len(k), KeySize)
		}
		block, err := aes.NewCipher(k) // copies the key
		if err != nil {
			return nil, fmt.Errorf("%w: key %d: %v", ErrInvalidOptions, i, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("%w: key %d: %v", ErrInvalidOptions, i, err)
		}
		s.aeads = append(s.aeads, aead)
	}
	return s, nil
}

// storedToken is what a sealed value holds.
type storedToken struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type,omitempty"`
	Expiry      time.Time `json:"expiry"`
	Sent        time.Time `json:"sent"`
}

// fingerprint identifies accessToken in a sealed value's header.
func fingerprint(accessToken string) []byte {
	sum := sha256.Sum256([]byte("telenor redisstore fingerprint\x00" + accessToken))
	return append([]byte{sealVersion}, sum[:fingerprintLen]...)
}

// sealToken encrypts tok and sent for the Redis key name.
func (s *sealer) sealToken(name string, tok *oauth2.Token, sent time.Time) ([]byte, error) {
	plain, err := json.Marshal(storedToken{AccessToken: tok.AccessToken, TokenType: tok.TokenType, Expiry: tok.Expiry, Sent: sent})
	if err != nil {
		return nil, err
	}
	aead := s.aeads[0]
	out := fingerprint(tok.AccessToken)
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce) // never fails (crypto/rand)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plain, []byte(name)), nil
}

// errUnsealable says a stored value opens with none of the keys.
var errUnsealable = errors.New("stored token opens with none of the keys (do the replicas share Options.Keys?)")

// openToken decrypts a value sealToken made for the Redis key name.
func (s *sealer) openToken(name string, sealed []byte) (*oauth2.Token, time.Time, error) {
	if len(sealed) < headerLen || sealed[0] != sealVersion {
		return nil, time.Time{}, errUnsealable
	}
	for _, aead := range s.aeads {
		rest := sealed[headerLen:]
		if len(rest) < aead.NonceSize() {
			break
		}
		plain, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], []byte(name))
		if err != nil {
			continue
		}
		var st storedToken
		if json.Unmarshal(plain, &st) != nil {
			return nil, time.Time{}, errors.New("stored token is malformed") // the error would quote it
		}
		tok := &oauth2.Token{AccessToken: st.AccessToken, TokenType: st.TokenType, Expiry: st.Expiry}
		tok.ExpiresIn = int64(st.Expiry.Sub(st.Sent) / time.Second)
		return tok, st.Sent, nil
	}
	return nil, time.Time{}, errUnsealable
}
