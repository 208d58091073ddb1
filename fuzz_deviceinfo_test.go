package telenor

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// FuzzDeviceInfoDecode: any body either fails to decode or gives a
// DeviceInfo whose capabilities are consistent: a modelled capability is
// decoded or left to Unknown (when it is not a boolean), never both, and
// All names each capability once.
func FuzzDeviceInfoDecode(f *testing.F) {
	f.Add(readTestdata(f, "deviceinfo.json"))
	f.Add([]byte(`{"model":"x","capabilities":{"lte":true,"volte":"yes","5g":false,"hdVoice":null}}`))
	f.Add([]byte(`{"capabilities":[]}`))
	f.Add([]byte(`{"tac":35407115,"capabilities":{"lteAdvanced":1}}`))
	f.Add([]byte(`{"capabilities":{"lte":true,"LTE":1,"Lte":false}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var d DeviceInfo
		if json.Unmarshal(body, &d) != nil {
			return
		}
		c := d.Capabilities
		unknown := c.Unknown()
		for name, field := range map[string]*bool{"hdVoice": c.HDVoice, "lte": c.LTE, "lteAdvanced": c.LTEAdvanced} {
			_, kept := unknown[name]
			assert.False(t, kept && field != nil, "capability %q is decoded or kept raw, not both", name)
		}
		seen := map[string]bool{}
		for _, cp := range c.All() {
			assert.False(t, seen[cp.Name], "%q is listed once", cp.Name)
			seen[cp.Name] = true
		}
		assertEncodingIsFixpoint(t, d)
	})
}

// Found by FuzzDeviceInfoDecode: a capability that is not a boolean is
// unknown (nil, kept for Unknown), never false.
func TestMistypedCapabilityStaysUnknown(t *testing.T) {
	var d DeviceInfo
	assert.NoError(t, json.Unmarshal([]byte(`{"capabilities":{"lteAdvanced":1,"lte":"yes"}}`), &d))
	assert.Nil(t, d.Capabilities.LTEAdvanced)
	assert.Nil(t, d.Capabilities.LTE)
	assert.JSONEq(t, `1`, string(d.Capabilities.Unknown()["lteAdvanced"]))
	assert.JSONEq(t, `"yes"`, string(d.Capabilities.Unknown()["lte"]))
}
