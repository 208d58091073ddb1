package main

import (
	"strings"
	"testing"

	"github.com/telenor-go/telenor/internal/exampletest"
)

// envSecrets are the secrets the program reads from the environment.
var envSecrets = map[string]string{
	"TELENOR_CLIENT_SECRET": "env-client-s3cret-value",
	"TELENOR_PASSWORD":      "env-p4ssword-value",
}

// TestNoSecretInUsageOrErrors runs the program itself with the secrets in
// its environment: its usage text and its errors must not show them, and
// -h must not start a run against the gateway those credentials name.
func TestNoSecretInUsageOrErrors(t *testing.T) {
	full := map[string]string{"TELENOR_CLIENT_ID": "id", "TELENOR_USERNAME": "API1000XYZ",
		"TELENOR_BASE_URL": "https://api.telenor.example"}
	for k, v := range envSecrets {
		full[k] = v
	}
	tests := []struct {
		args []string
		env  map[string]string
		want string
		code int
	}{
		{[]string{"-h"}, full, "Usage: quickstart", 0},
		{[]string{"-no-such-flag"}, full, "flag provided but not defined", 2},
		{[]string{"extra"}, full, "unexpected arguments", 2},
		{nil, envSecrets, "set both TELENOR_CLIENT_ID and TELENOR_CLIENT_SECRET", 1},
	}
	for _, tt := range tests {
		out, code := exampletest.Run(t, main, tt.args, tt.env)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("quickstart %q: exit %d, want %d, and output containing %q:\n%s", tt.args, code, tt.code, tt.want, out)
		}
		if strings.Contains(out, "Using your credentials") {
			t.Errorf("quickstart %q ran against the gateway:\n%s", tt.args, out)
		}
		for name, secret := range envSecrets {
			if strings.Contains(out, secret) {
				t.Errorf("quickstart %q printed %s:\n%s", tt.args, name, out)
			}
		}
	}
}
