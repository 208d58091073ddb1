package webapp

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/telenor-go/telenor"
)

func TestFormatMobileNumber(t *testing.T) {
	tests := map[string]string{
		"4790012345":     "+47 900 12 345", // as Telenor sends it
		"4741234567":     "+47 412 34 567",
		"+4790012345":    "+47 900 12 345",
		"90012345":       "90012345", // no country code: as sent
		"479001234":      "479001234",
		"47900123456":    "47900123456",
		"4690012345":     "4690012345", // another country
		"+47 900 12 345": "+47 900 12 345",
		"47 900 12 345":  "47 900 12 345",
		"47900 12345":    "47900 12345",
		"47abcdefgh":     "47abcdefgh",
		"47９0012345":     "47９0012345", // a full-width digit
		"++4790012345":   "++4790012345",
		"":               "",
	}
	for in, want := range tests {
		assert.Equal(t, want, formatMobileNumber(in), "formatMobileNumber(%q)", in)
	}
}

func TestCapabilityRows(t *testing.T) {
	var caps telenor.Capabilities
	require.NoError(t, json.Unmarshal([]byte(`{"lte":true,"lteAdvanced":false,"volte":true,"wifiCalling":false}`), &caps))
	assert.Equal(t, []capabilityRow{
		{"HD Voice", "Unknown"},
		{"4G", "Yes"},
		{"4G+", "No"},
		{"VoLTE", "Yes"},
		{"wifiCalling", "No"}, // unknown to the app: the gateway's name
	}, capabilityRows(caps))
}
