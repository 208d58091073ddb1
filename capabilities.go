package telenor

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/telenor-go/telenor/internal/wire"
)

// Capabilities says what the device supports on Telenor's network. A nil
// field means the gateway did not say: support is unknown, not absent.
// The list is not fully documented (VoLTE, Wi-Fi calling, 5G may come
// under other names): All lists every boolean the gateway sent, Unknown
// returns the members not modelled here undecoded.
type Capabilities struct {
	HDVoice     *bool `json:"hdVoice"`     // HD voice
	LTE         *bool `json:"lte"`         // 4G
	LTEAdvanced *bool `json:"lteAdvanced"` // 4G+
	raw         string
}

// UnmarshalJSON implements json.Unmarshaler. A capability that is not a
// boolean stays nil (unknown, never false) and is left to Unknown.
func (c *Capabilities) UnmarshalJSON(b []byte) error {
	return wire.Decode(b, (*capabilitiesView)(c), &c.raw)
}

// MarshalJSON implements json.Marshaler.
func (c Capabilities) MarshalJSON() ([]byte, error) { return wire.Encode(&c, c.raw) }

// Unknown returns the members no field holds, like UserInfo.Unknown.
func (c Capabilities) Unknown() map[string]json.RawMessage { return wire.Unknown[Capabilities](c.raw) }

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

// All lists the capabilities in a stable order: the modelled ones first and
// always (unknown when the gateway did not say), then the other booleans
// (or nulls) the gateway sent, by name.
func (c Capabilities) All() []Capability {
	list := []Capability{
		{"hdVoice", "HD Voice", c.HDVoice},
		{"lte", "4G (LTE)", c.LTE},
		{"lteAdvanced", "4G+ (LTE Advanced)", c.LTEAdvanced},
	}
	other := c.Unknown()
	for _, name := range slices.Sorted(maps.Keys(other)) {
		var on *bool // null: named, support unknown
		if json.Unmarshal(other[name], &on) == nil {
			list = append(list, Capability{Name: name, Label: name, Supported: on})
		}
	}
	return list
}
