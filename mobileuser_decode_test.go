package telenor

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestDecodeUserInfoKeepsUnknownFields(t *testing.T) {
	var u UserInfo
	require.NoError(t, json.Unmarshal(readTestdata(t, "userinfo.json"), &u))
	assert.Equal(t, "4790012345", u.MobileNumber)
	assert.Equal(t, "Marie", u.Name.MiddleName)
	assert.Equal(t, map[string]json.RawMessage{"nickName": json.RawMessage(`"KK"`)}, u.Name.Unknown())
	assert.Equal(t, exported(Address{
		StreetAddress: "Snarøyveien", StreetNumber: "30", Entrance: "A", PostalCode: "1360",
		PostalLocation: "Fornebu", Country: "NO", FormattedAddress: "Snarøyveien 30 A, 1360 Fornebu",
	}), exported(u.Address))
	assert.Equal(t, map[string]json.RawMessage{
		"municipality": json.RawMessage(`"Bærum"`),
		"coordinates":  json.RawMessage(`{"lat": 59.899, "lon": 10.626}`),
	}, u.Address.Unknown())
	assert.Equal(t, time.Date(1985, 4, 17, 0, 0, 0, 0, time.UTC), u.BirthDate.Time())
	assert.Equal(t, "kari.nordmann@example.no", u.EmailAddress)
	assert.Equal(t, []string{"consentedAt", "customerType"}, sortedKeys(u.Unknown()))
}

func TestDecodeUserInfoOddShapes(t *testing.T) {
	var u UserInfo
	require.NoError(t, json.Unmarshal(readTestdata(t, "userinfo_odd.json"), &u))
	assert.Equal(t, "4790012345", u.MobileNumber, "an unquoted number is kept as written")
	assert.Equal(t, Name{}, u.Name, "null leaves the zero value")
	assert.Equal(t, "Storgata", u.Address.StreetAddress, "the other members still decode")
	assert.Equal(t, "150", u.Address.PostalCode)
	assert.False(t, u.BirthDate.Valid())
	assert.Equal(t, "17.04.1985", u.BirthDate.Raw, "an unparsable date keeps its text")
	assert.Empty(t, u.EmailAddress)
	assert.JSONEq(t, `{"primary":"x@example.no"}`, string(u.Unknown()["emailAddress"]),
		"a known member of an unusable type is kept, not fatal")
	assert.Equal(t, []string{"emailAddress"}, sortedKeys(u.Unknown()))
}

func TestDecodeDeviceInfoKeepsUnknownFields(t *testing.T) {
	var d DeviceInfo
	require.NoError(t, json.Unmarshal(readTestdata(t, "deviceinfo.json"), &d))
	assert.Equal(t, "iPhone 15", d.Model)
	assert.Equal(t, "35407115", d.TAC)
	c := d.Capabilities
	require.NotNil(t, c.HDVoice)
	require.NotNil(t, c.LTE)
	assert.True(t, *c.HDVoice && *c.LTE)
	assert.Nil(t, c.LTEAdvanced, "absent means unknown")
	var other []string
	for _, cp := range c.All()[3:] {
		other = append(other, fmt.Sprint(cp.Name, "=", *cp.Supported))
	}
	assert.Equal(t, []string{"nr=true", "volte=true", "wifiCalling=false"}, other)
	assert.JSONEq(t, `[1, 3, 7, 20]`, string(c.Unknown()["bands"]))
	assert.Equal(t, []string{"imeiSv", "os"}, sortedKeys(d.Unknown()))
}

func TestBirthDate(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		valid bool
		str   string
	}{
		{"1985-04-17", true, "1985-04-17"},
		{"19850417", true, "1985-04-17"},
		{"1985-04-17T00:00:00Z", true, "1985-04-17"},
		{"1985-04-17T23:30:00-05:00", true, "1985-04-17"},
		{"1985-02-30", false, "1985-02-30"},
		{"17.04.1985", false, "17.04.1985"},
		{"", false, ""},
	} {
		d := ParseBirthDate(tc.raw)
		assert.Equal(t, tc.valid, d.Valid(), tc.raw)
		assert.Equal(t, tc.str, d.String(), tc.raw)
		assert.Equal(t, tc.raw, d.Raw)
		b, err := json.Marshal(d)
		require.NoError(t, err)
		var back BirthDate
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, d, back, "round trip keeps the raw text")
	}
	assert.True(t, BirthDate{}.Time().IsZero())
}

func TestDecodeRejectsNonObject(t *testing.T) {
	for _, body := range []string{`[]`, `"x"`, `{"mobileNumber":`} {
		var u UserInfo
		assert.Error(t, json.Unmarshal([]byte(body), &u), body)
	}
}

func FuzzUserInfoDecode(f *testing.F) {
	f.Add(readTestdata(f, "userinfo.json"))
	f.Add(readTestdata(f, "userinfo_odd.json"))
	f.Add(readTestdata(f, "deviceinfo.json"))
	f.Add([]byte(`{"birthDate":null,"name":{"givenName":1e999}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var u UserInfo
		if json.Unmarshal(body, &u) != nil {
			return
		}
		if u.BirthDate.Valid() {
			assert.False(t, u.BirthDate.Time().IsZero())
		}
		_ = u.BirthDate.String()
		_ = u.Unknown()
		assertEncodingIsFixpoint(t, u)
		var d DeviceInfo
		if json.Unmarshal(body, &d) == nil {
			assertEncodingIsFixpoint(t, d)
		}
	})
}

// assertEncodingIsFixpoint checks that v encodes, that its encoding
// decodes, and that encoding again gives the same bytes: whatever the SDK
// decoded can be stored as JSON and restored.
func assertEncodingIsFixpoint[T any](t *testing.T, v T) {
	t.Helper()
	enc, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(enc, &back), "%s", enc)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(enc), string(again))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// A member that does not fit sends the whole object down the member by
// member path, which must decode the rest as encoding/json does: case
// ignored, escapes decoded.
func TestLenientPathDecodesTheRest(t *testing.T) {
	body := []byte(`{"MOBILENUMBER":"1","x\u0041":[{"}":"]"}],"name":{"givenName":"a\"b","k":null},` +
		`"emailAddress":7,"birthDate":true}`)
	var u UserInfo
	require.NoError(t, json.Unmarshal(body, &u))
	assert.Equal(t, "1", u.MobileNumber)
	assert.Equal(t, `a"b`, u.Name.GivenName)
	assert.Equal(t, "7", u.EmailAddress, "a number for a string, as written")
	assert.Equal(t, []string{"birthDate", "xA"}, sortedKeys(u.Unknown()))
	assert.Equal(t, []string{"k"}, sortedKeys(u.Name.Unknown()))
}
