package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/telenor-go/telenor"
)

// showUser prints what the Mobile User API says about the logged-in user
// and their device, one aligned field a line.
func showUser(ctx context.Context, out io.Writer, user *telenor.Session) error {
	info, err := user.UserInfo(ctx)
	if err != nil {
		return fmt.Errorf("user info: %w", err)
	}
	dev, err := user.DeviceInfo(ctx)
	if err != nil {
		return fmt.Errorf("device info: %w", err)
	}
	fmt.Fprintln(out, "\n2. Line authentication: the fake network identified the line and the user approved.")
	fmt.Fprintln(out, "\n3. Mobile User API:")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "   %s\t%s\n", k, v) }
	row("Mobile number", info.MobileNumber)
	row("Name", info.Name.Full())
	row("Device", strings.TrimSpace(dev.Manufacturer+" "+dev.Model))
	for _, c := range dev.Capabilities.All() {
		row(c.Label, status(c.Supported))
	}
	return tw.Flush()
}

// status shows a capability's support: "unknown" when the gateway did not
// say.
func status(supported *bool) string {
	switch {
	case supported == nil:
		return "unknown"
	case *supported:
		return "yes"
	}
	return "no"
}
