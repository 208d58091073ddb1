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

// withSecrets returns the environment of a real run: the secrets and the
// rest.
func withSecrets(more map[string]string) map[string]string {
	env := map[string]string{}
	for k, v := range envSecrets {
		env[k] = v
	}
	for k, v := range more {
		env[k] = v
	}
	return env
}

// TestNoSecretInUsageOrErrors runs the program itself with the secrets in
// its environment: its usage text and its errors must not show them.
func TestNoSecretInUsageOrErrors(t *testing.T) {
	full := withSecrets(map[string]string{"TELENOR_CLIENT_ID": "id", "TELENOR_USERNAME": "API1000XYZ",
		"TELENOR_BASE_URL": "https://api.telenor.example"})
	tests := []struct {
		args []string
		env  map[string]string
		want string
		code int
	}{
		{[]string{"-h"}, full, "Usage", 0},
		{[]string{"-help"}, full, "-client-id", 0},
		{[]string{"-no-such-flag"}, full, "flag provided but not defined", 2},
		{[]string{"-password", "x"}, full, "flag provided but not defined: -password", 2},
		{[]string{"-workers", "0"}, full, "-workers and -iterations must be at least 1", 2},
		{[]string{"extra"}, full, "unexpected arguments", 2},
		{nil, withSecrets(nil), "set TELENOR_CLIENT_ID, TELENOR_USERNAME too", 1},
	}
	for _, tt := range tests {
		out, code := exampletest.Run(t, main, tt.args, tt.env)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("systemuser %q: exit %d, want %d, and output containing %q:\n%s", tt.args, code, tt.code, tt.want, out)
		}
		for name, secret := range envSecrets {
			if strings.Contains(out, secret) {
				t.Errorf("systemuser %q printed %s:\n%s", tt.args, name, out)
			}
		}
	}
}
