package telenor

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/telenor-go/telenor/telenortest"
)

// fetchErrs is an Observer that keeps the text of each token fetch's Err.
type fetchErrs struct {
	nilObserver
	mu   sync.Mutex
	errs []string
}

func (f *fetchErrs) TokenFetchEnd(_ context.Context, tf TokenFetch) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if tf.Err != nil {
		f.errs = append(f.errs, tf.Err.Error())
	}
}

// A token endpoint that echoes what it was sent (the client secret, the
// password, the code, the PKCE verifier) in its error text must not get
// them into the error, the logs or the Observer's events: the SDK knows
// them and blanks them, before the text is cut to one line, so that no
// part of one is left either.
func TestEchoedSecretsAreRedacted(t *testing.T) {
	verifier := oauth2.GenerateVerifier()
	const code = "auth-code-LEAK-3"
	pad := strings.Repeat("x", 190) // a secret across the 200-rune cut
	for name, tc := range map[string]struct {
		path  string
		fault telenortest.Fault
		call  func(ctx context.Context, cli *Client) error
	}{
		"password grant, rejected": {telenortest.PasswordTokenPath,
			telenortest.Fault{Status: 400, Body: fmt.Sprintf(`{"error":"invalid_grant %s","error_description":"%s %s %s"}`, leakPassword, leakPassword, leakSecret, pad+leakPassword)},
			func(ctx context.Context, cli *Client) error {
				_, err := cli.PasswordGrant(telenortest.DefaultUsername, leakPassword).Token(ctx)
				return err
			}},
		"password grant, retried": {telenortest.PasswordTokenPath,
			telenortest.Fault{Status: 503, Code: 50001, Message: pad + leakSecret},
			func(ctx context.Context, cli *Client) error {
				_, err := cli.PasswordGrant(telenortest.DefaultUsername, leakPassword).Token(ctx)
				return err
			}},
		"code exchange": {telenortest.TokenPath,
			telenortest.Fault{Status: 400, Body: fmt.Sprintf(`{"error":"invalid_grant","error_description":"%s %s %s"}`, code, verifier, leakSecret)},
			func(ctx context.Context, cli *Client) error {
				_, err := cli.Exchange(ctx, code, WithPKCE(verifier))
				return err
			}},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cfg, _, logs := leakyClient(t)
				obs := &fetchErrs{}
				cfg.Observer = obs
				cli, err := NewClient(cfg)
				require.NoError(t, err)
				srv.Fail(tc.path, 1<<20, tc.fault)
				err = tc.call(t.Context(), cli)
				require.Error(t, err)
				assert.Contains(t, err.Error(), redacted)
				obs.mu.Lock()
				out := err.Error() + "\n" + logs.String() + "\n" + strings.Join(obs.errs, "\n")
				obs.mu.Unlock()
				for _, secret := range []string{leakSecret, leakPassword, code, verifier} {
					for _, part := range []string{secret, secret[:10]} { // what a cut would leave
						assert.NotContains(t, out, part)
					}
				}
			})
		})
	}
}
