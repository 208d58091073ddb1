package main

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/telenor-go/telenor/telenortest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func noEnv(string) string { return "" }

// -stdout prints the SDK's spans, in the rounds' traces, and its metrics;
// the logs carry trace ids; nothing printed holds a secret.
func TestStdoutPrintsSpansAndMetrics(t *testing.T) {
	c, err := parseConfig([]string{"-stdout", "-workers", "2", "-rounds", "1"}, noEnv, new(bytes.Buffer))
	require.NoError(t, err)
	var stdout, logs bytes.Buffer
	require.NoError(t, run(context.Background(), c, &stdout, &logs))
	out := stdout.String()
	for _, want := range []string{
		`"Name": "round"`, `"Name": "telenor.Organizations"`, `"Name": "telenor.MobileSubscriptions"`,
		`"Name": "GET /organizations/v1/organizations"`, `"Name": "telenor.token"`,
		`"Name": "telenor.api.request.duration"`, `"Name": "telenor.api.retries"`, `"Name": "telenor.token.fetches"`,
	} {
		assert.Contains(t, out, want)
	}
	assert.Contains(t, logs.String(), `"msg":"telenor: retrying API request","operation":"Organizations"`)
	assert.Contains(t, logs.String(), `"trace_id":`)
	for _, secret := range []string{telenortest.DefaultClientSecret, telenortest.DefaultPassword} {
		assert.NotContains(t, out, secret)
		assert.NotContains(t, logs.String(), secret)
	}
}

// Without -stdout nothing is printed but the logs.
func TestWithoutStdoutPrintsNoTelemetry(t *testing.T) {
	c, err := parseConfig([]string{"-workers", "1", "-rounds", "1"}, noEnv, new(bytes.Buffer))
	require.NoError(t, err)
	var stdout, logs bytes.Buffer
	require.NoError(t, run(context.Background(), c, &stdout, &logs))
	assert.Empty(t, stdout.String())
	assert.Contains(t, logs.String(), `"msg":"done"`)
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-workers", "0"}, {"-rounds", "0"}, {"extra"}, {"-nope"}} {
		_, err := parseConfig(args, noEnv, new(bytes.Buffer))
		assert.Error(t, err, strings.Join(args, " "))
	}
	var usage bytes.Buffer
	_, err := parseConfig([]string{"-h"}, func(string) string { return "s3cret" }, &usage)
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, usage.String(), "-stdout")
	assert.NotContains(t, usage.String(), "s3cret", "the usage shows no value from the environment")
}
