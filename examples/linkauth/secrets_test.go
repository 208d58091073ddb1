package main

import (
	"strings"
	"testing"

	"github.com/telenor-go/telenor/internal/exampletest"
)

// envSecrets are the secrets the program reads from the environment.
var envSecrets = map[string]string{
	"TELENOR_CLIENT_SECRET": "env-client-s3cret-value",
	"LINKAUTH_STATE_KEY":    "env-state-key-0123456789abcdef0123456789abcdef",
}

// TestNoSecretInUsageOrErrors runs the program itself with the secrets in
// its environment: its usage text and its errors must not show them.
func TestNoSecretInUsageOrErrors(t *testing.T) {
	full := map[string]string{"TELENOR_CLIENT_ID": "id", "TELENOR_BASE_URL": "https://api.telenor.example"}
	for k, v := range envSecrets {
		full[k] = v
	}
	secretsOnly := map[string]string{"TELENOR_CLIENT_SECRET": envSecrets["TELENOR_CLIENT_SECRET"],
		"LINKAUTH_STATE_KEY": envSecrets["LINKAUTH_STATE_KEY"]}
	tests := []struct {
		args []string
		env  map[string]string
		want string
		code int
	}{
		{[]string{"-h"}, full, "-callback-url", 0},
		{[]string{"-no-such-flag"}, full, "flag provided but not defined", 2},
		{[]string{"extra"}, full, "unexpected arguments", 2},
		{nil, secretsOnly, "set TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET", 1},
		{[]string{"-addr", "127.0.0.1:99999"}, full, "99999", 1},
	}
	for _, tt := range tests {
		out, code := exampletest.Run(t, main, tt.args, tt.env)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("linkauth %q: exit %d, want %d, and output containing %q:\n%s", tt.args, code, tt.code, tt.want, out)
		}
		for name, secret := range envSecrets {
			if strings.Contains(out, secret) {
				t.Errorf("linkauth %q printed %s:\n%s", tt.args, name, out)
			}
		}
	}
}
