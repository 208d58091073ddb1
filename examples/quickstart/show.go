package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
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
	row("Name", fullName(info.Name))
	row("Device", strings.TrimSpace(dev.Manufacturer+" "+dev.Model))
	row("HD Voice", yesNo(dev.Capabilities.HDVoice))
	row("4G (LTE)", yesNo(dev.Capabilities.LTE))
	row("4G+ (LTE Advanced)", yesNo(dev.Capabilities.LTEAdvanced))
	for _, name := range slices.Sorted(maps.Keys(dev.Capabilities.Other)) {
		on := dev.Capabilities.Other[name]
		row(name, yesNo(&on))
	}
	return tw.Flush()
}

// yesNo shows a capability; nil means the gateway did not say.
func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "unknown"
	case *b:
		return "yes"
	}
	return "no"
}

func fullName(n telenor.Name) string {
	return strings.Join(strings.Fields(n.GivenName+" "+n.MiddleName+" "+n.FamilyName), " ")
}
