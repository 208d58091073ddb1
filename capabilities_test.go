package telenor

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNameFull(t *testing.T) {
	assert.Equal(t, "Kari Nordmann", Name{GivenName: "Kari", FamilyName: "Nordmann"}.Full())
	assert.Equal(t, "Ola Johan Nordmann", Name{GivenName: " Ola", MiddleName: "Johan", FamilyName: "Nordmann "}.Full())
	assert.Empty(t, Name{}.Full())
}

func TestCapabilitiesAll(t *testing.T) {
	yes, no := true, false
	c := Capabilities{LTE: &yes, LTEAdvanced: &no, Other: map[string]bool{"volte": true, "5g": false}}
	var got []string
	for _, cap := range c.All() {
		got = append(got, cap.Name+"="+cap.Status())
	}
	assert.Equal(t, []string{"hdVoice=unknown", "lte=yes", "lteAdvanced=no", "5g=no", "volte=yes"}, got)
	assert.Equal(t, "4G (LTE)", c.All()[1].Label)
}
