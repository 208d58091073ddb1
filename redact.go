package telenor

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// redacted is what every secret prints as.
const redacted = "[REDACTED]"

// secretString holds a password or secret so that no fmt verb and no slog
// handler can print it by accident.
type secretString string

// String implements fmt.Stringer.
func (secretString) String() string { return redacted }

// GoString implements fmt.GoStringer.
func (secretString) GoString() string { return redacted }

// Format makes every verb, %x and %q included, print the redaction.
func (secretString) Format(f fmt.State, _ rune) { fmt.Fprint(f, redacted) }

// LogValue implements slog.LogValuer.
func (secretString) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps encoders (JSON logs included) from writing the secret.
func (secretString) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// MarshalJSON encodes the Config's settings under their field names, with
// the secret redacted (an empty secret stays empty, so a missing one is
// still visible). HTTPClient and Logger are left out: they are live
// objects, not settings, and an http.Client cannot be encoded at all. The
// fields are listed, not copied, so a field added later cannot leak.
func (c Config) MarshalJSON() ([]byte, error) {
	secret := c.ClientSecret
	if secret != "" {
		secret = redacted
	}
	return json.Marshal(struct {
		ClientID, ClientSecret, BaseURL string
		Endpoint                        Endpoint
		RedirectURL                     string
		Retry                           RetryPolicy
		TokenTimeout                    time.Duration
	}{c.ClientID, secret, c.BaseURL, c.Endpoint, c.RedirectURL, c.Retry, c.TokenTimeout})
}

// String describes the Config without its secret.
func (c Config) String() string {
	return fmt.Sprintf("telenor.Config{ClientID: %q, ClientSecret: %s, BaseURL: %q, RedirectURL: %q}",
		c.ClientID, redacted, c.BaseURL, c.RedirectURL)
}

// GoString implements fmt.GoStringer with the secret redacted.
func (c Config) GoString() string { return c.String() }

// Format makes every fmt verb print String's redacted form.
func (c Config) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue implements slog.LogValuer with the secret redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", redacted),
		slog.String("base_url", c.BaseURL),
	)
}

// String describes the Client without its secret.
func (c *Client) String() string {
	if c == nil {
		return "telenor.Client(nil)"
	}
	return fmt.Sprintf("telenor.Client{ClientID: %q, ClientSecret: %s, BaseURL: %q}", c.clientID, redacted, c.apiBase)
}

// GoString implements fmt.GoStringer with the secret redacted.
func (c *Client) GoString() string { return c.String() }

// Format makes every fmt verb print String's redacted form.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue implements slog.LogValuer with the secret redacted.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String describes the Session without its token or credentials.
func (s *Session) String() string {
	if s == nil {
		return "telenor.Session(nil)"
	}
	kind := "system user"
	if s.kind == sessionUser {
		kind = "end user"
	}
	return fmt.Sprintf("telenor.Session{%s, token: %s}", kind, redacted)
}

// GoString implements fmt.GoStringer with secrets redacted.
func (s *Session) GoString() string { return s.String() }

// Format makes every fmt verb print String's redacted form.
func (s *Session) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// LogValue implements slog.LogValuer with secrets redacted.
func (s *Session) LogValue() slog.Value { return slog.StringValue(s.String()) }
