package telenor

import (
	"maps"
	"slices"
	"strings"
)

// Full returns the name as written: given, middle and family name joined
// by single spaces, empty parts left out.
func (n Name) Full() string {
	return strings.Join(strings.Fields(n.GivenName+" "+n.MiddleName+" "+n.FamilyName), " ")
}

// Capability is one device capability, for listing and display.
type Capability struct {
	// Name is the gateway's name, such as "lte".
	Name string
	// Label is a readable name, such as "4G (LTE)"; for a capability the
	// SDK does not model it is the gateway's name.
	Label string
	// Supported is nil when the gateway did not say.
	Supported *bool
}

// Status returns "yes", "no" or "unknown".
func (c Capability) Status() string {
	switch {
	case c.Supported == nil:
		return "unknown"
	case *c.Supported:
		return "yes"
	}
	return "no"
}

// All lists the capabilities in a stable order: the modelled ones first and
// always (unknown when the gateway did not say), then the others by name.
func (c Capabilities) All() []Capability {
	list := []Capability{
		{"hdVoice", "HD Voice", c.HDVoice},
		{"lte", "4G (LTE)", c.LTE},
		{"lteAdvanced", "4G+ (LTE Advanced)", c.LTEAdvanced},
	}
	for _, name := range slices.Sorted(maps.Keys(c.Other)) {
		on := c.Other[name]
		list = append(list, Capability{Name: name, Label: name, Supported: &on})
	}
	return list
}
