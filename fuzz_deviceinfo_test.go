package telenor

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// FuzzDeviceInfoDecode: any body either fails to decode or gives a
// DeviceInfo whose capabilities are consistent: a modelled name never
// lands in Other, and in Extra (undecoded, when it is not a boolean) only
// if its field stayed nil; Other and Extra never share a name.
func FuzzDeviceInfoDecode(f *testing.F) {
	f.Add(readTestdata(f, "deviceinfo.json"))
	f.Add([]byte(`{"model":"x","capabilities":{"lte":true,"volte":"yes","5g":false,"hdVoice":null}}`))
	f.Add([]byte(`{"capabilities":[]}`))
	f.Add([]byte(`{"tac":35407115,"capabilities":{"lteAdvanced":1}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var d DeviceInfo
		if json.Unmarshal(body, &d) != nil {
			return
		}
		c := d.Capabilities
		for name, field := range map[string]*bool{"hdVoice": c.HDVoice, "lte": c.LTE, "lteAdvanced": c.LTEAdvanced} {
			_, inOther := c.Other[name]
			_, inExtra := c.Extra[name]
			assert.False(t, inOther, "modelled capability %q is not in Other", name)
			assert.False(t, inExtra && field != nil, "capability %q is decoded or kept raw, not both", name)
		}
		for name := range c.Other {
			_, inExtra := c.Extra[name]
			assert.False(t, inExtra, "%q is a boolean or not, never both", name)
		}
		assertEncodingIsFixpoint(t, d)
	})
}

// Found by FuzzDeviceInfoDecode: a capability that is not a boolean is
// unknown (nil, kept raw in Extra), never false.
func TestMistypedCapabilityStaysUnknown(t *testing.T) {
	var d DeviceInfo
	assert.NoError(t, json.Unmarshal([]byte(`{"capabilities":{"lteAdvanced":1,"lte":"yes"}}`), &d))
	assert.Nil(t, d.Capabilities.LTEAdvanced)
	assert.Nil(t, d.Capabilities.LTE)
	assert.JSONEq(t, `1`, string(d.Capabilities.Extra["lteAdvanced"]))
}
