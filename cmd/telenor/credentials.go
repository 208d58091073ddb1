package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Environment variables the credentials come from.
const (
	envClientID     = "TELENOR_CLIENT_ID"
	envClientSecret = "TELENOR_CLIENT_SECRET"
	envUsername     = "TELENOR_USERNAME"
	envPassword     = "TELENOR_PASSWORD"
	envBaseURL      = "TELENOR_BASE_URL"
)

// credentials are the app's and the system user's. The secrets go to the
// SDK and nowhere else: no message of this program prints them.
type credentials struct {
	clientID, clientSecret string
	username, password     string
}

// readCredentials takes the credentials from the environment; the
// password from standard input with -password-stdin; and a missing
// secret or password from a no-echo prompt when standard input is a
// terminal.
func readCredentials(ctx context.Context, inv *invocation) (credentials, error) {
	env := inv.env
	c := credentials{
		clientID: env.getenv(envClientID), clientSecret: env.getenv(envClientSecret),
		username: env.getenv(envUsername), password: env.getenv(envPassword),
	}
	if inv.opts.passwordStdin {
		if env.prompt != nil {
			return c, usageErrorf("-password-stdin reads a pipe, not a terminal: leave it out to be asked for the password")
		}
		pw, err := readPasswordLine(env.stdin)
		if err != nil {
			return c, err
		}
		c.password = pw
	}
	if err := requireSet(envClientID, c.clientID, "the app's client id from Telenor's developer dashboard"); err != nil {
		return c, err
	}
	if err := requireSet(envUsername, c.username, "the system user's name from Min Bedrift"); err != nil {
		return c, err
	}
	var err error
	if c.clientSecret, err = ask(ctx, env, c.clientSecret, envClientSecret, "Client secret: "); err != nil {
		return c, err
	}
	c.password, err = ask(ctx, env, c.password, envPassword, fmt.Sprintf("Password for %s: ", c.username))
	return c, err
}

func requireSet(name, value, what string) error {
	if strings.TrimSpace(value) == "" {
		return usageErrorf("%s is not set: set it to %s (or try the tool with -fake)", name, what)
	}
	return nil
}

// ask returns value, or asks for it on the terminal when it is empty.
func ask(ctx context.Context, env *environment, value, name, label string) (string, error) {
	if value != "" {
		return value, nil
	}
	if env.prompt == nil {
		return "", usageErrorf("%s is not set: set it, or run on a terminal to be asked for it", name)
	}
	v, err := env.prompt(ctx, label)
	switch {
	case err != nil:
		return "", err
	case v == "":
		return "", usageErrorf("no value typed for %s", name)
	}
	return v, nil
}

// maxPasswordLine bounds what -password-stdin reads.
const maxPasswordLine = 4 << 10

// readPasswordLine reads the first line of r, without its line ending.
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReaderSize(io.LimitReader(r, maxPasswordLine), maxPasswordLine).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	if len(line) == maxPasswordLine && !strings.HasSuffix(line, "\n") {
		return "", usageErrorf("-password-stdin: the first line of standard input is longer than %d bytes", maxPasswordLine-1)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageErrorf("-password-stdin: standard input is empty; pipe the password into it")
	}
	return pw, nil
}
