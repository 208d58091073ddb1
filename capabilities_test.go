package telenor

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNameFull(t *testing.T) {
	assert.Equal(t, "Kari Nordmann", Name{GivenName: "Kari", FamilyName: "Nordmann"}.Full())
	assert.Equal(t, "Ola Johan Nordmann", Name{GivenName: " Ola", MiddleName: "Johan", FamilyName: "Nordmann "}.Full())
	assert.Empty(t, Name{}.Full())
}

func TestCapabilitiesAll(t *testing.T) {
	var c Capabilities
	require.NoError(t, json.Unmarshal([]byte(`{"lte":true,"lteAdvanced":false,"volte":true,"5g":false,"wifiCalling":null,"bands":[1,3]}`), &c))
	var got []string
	for _, cap := range c.All() {
		status := "unknown"
		if cap.Supported != nil {
			status = map[bool]string{true: "yes", false: "no"}[*cap.Supported]
		}
		got = append(got, cap.Name+"="+status)
	}
	assert.Equal(t, []string{"hdVoice=unknown", "lte=yes", "lteAdvanced=no", "5g=no", "volte=yes", "wifiCalling=unknown"}, got,
		"modelled first, then the other booleans (null: unknown) by name; not bands")
	assert.Equal(t, "4G (LTE)", c.All()[1].Label)
}
