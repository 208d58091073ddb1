package webapp

import (
	"strings"

	"github.com/telenor-go/telenor"
)

// formatMobileNumber writes a Norwegian mobile number the way people read
// it: Telenor sends "4790012345" (country code 47 and eight digits, no
// plus), shown as "+47 900 12 345". Any other shape is shown as sent:
// guessing a grouping would show a wrong number.
func formatMobileNumber(n string) string {
	local, ok := strings.CutPrefix(strings.TrimPrefix(n, "+"), "47")
	if !ok || len(local) != 8 || strings.ContainsFunc(local, notDigit) {
		return n
	}
	return "+47 " + local[:3] + " " + local[3:5] + " " + local[5:]
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

// capabilityRow is one line of the /me page's capability list.
type capabilityRow struct {
	Label  string // "4G", "VoLTE": the app's words, not the gateway's names
	Status string // "Yes", "No" or "Unknown"
}

// capabilityRows lists the device's capabilities in the SDK's stable order,
// in the app's words.
func capabilityRows(caps telenor.Capabilities) []capabilityRow {
	var rows []capabilityRow
	for _, c := range caps.All() {
		rows = append(rows, capabilityRow{Label: capabilityLabel(c.Name), Status: supportStatus(c.Supported)})
	}
	return rows
}

// capabilityLabel names a capability as Telenor's customers know it; one
// the app does not know keeps the gateway's name.
func capabilityLabel(name string) string {
	switch name {
	case "lte":
		return "4G"
	case "lteAdvanced":
		return "4G+"
	case "volte":
		return "VoLTE"
	case "hdVoice":
		return "HD Voice"
	}
	return name
}

// supportStatus says whether the gateway reported a capability as
// supported; nil means it did not say.
func supportStatus(supported *bool) string {
	switch {
	case supported == nil:
		return "Unknown"
	case *supported:
		return "Yes"
	}
	return "No"
}
