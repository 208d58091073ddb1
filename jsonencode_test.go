package telenor

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip decodes body into a new T and encodes it; the caller compares
// that with body. Decoding the encoding must give an equal value (fields
// and unknown members), and encoding that the same bytes, so an app can
// store these types as JSON.
func roundTrip[T any](t *testing.T, body []byte) (first T, encoded []byte) {
	t.Helper()
	require.NoError(t, json.Unmarshal(body, &first))
	encoded, err := json.Marshal(first)
	require.NoError(t, err)
	var second T
	require.NoError(t, json.Unmarshal(encoded, &second))
	assert.Equal(t, exported(first), exported(second), "decode(encode(v)) has v's fields")
	again, err := json.Marshal(second)
	require.NoError(t, err)
	assert.Equal(t, string(encoded), string(again), "encode(decode(encode(v))) == encode(v)")
	return first, encoded
}

// exported returns v's exported fields, recursively, as maps: what a
// user of the value sees, without the kept object.
func exported(v any) any {
	rv := reflect.ValueOf(v)
	switch {
	case rv.Kind() == reflect.Pointer && !rv.IsNil():
		return exported(rv.Elem().Interface())
	case rv.Kind() != reflect.Struct:
		return v
	}
	m := map[string]any{}
	for i := range rv.NumField() {
		if f := rv.Type().Field(i); f.IsExported() {
			m[f.Name] = exported(rv.Field(i).Interface())
		}
	}
	return m
}

func TestUserAndDeviceInfoEncodeToTheGatewayShape(t *testing.T) {
	body := readTestdata(t, "userinfo.json")
	_, enc := roundTrip[UserInfo](t, body)
	assert.JSONEq(t, string(body), string(enc), "what the gateway sent, unknown members included")

	body = readTestdata(t, "deviceinfo.json")
	_, enc = roundTrip[DeviceInfo](t, body)
	assert.JSONEq(t, string(body), string(enc))

	body = readTestdata(t, "userinfo_odd.json")
	odd, enc := roundTrip[UserInfo](t, body)
	// Numbers sent for strings come back as strings, null members as absent;
	// what did not fit (an object for emailAddress) comes back as sent.
	assert.JSONEq(t, `{"mobileNumber":"4790012345","address":{"postalCode":"150","streetAddress":"Storgata"},`+
		`"birthDate":"17.04.1985","emailAddress":{"primary":"x@example.no"}}`, string(enc))
	assert.NotContains(t, string(enc), `"raw"`, "no Go field names on the wire")
	assert.NotContains(t, string(enc), `"MobileNumber"`)
	assert.NotEmpty(t, odd.MobileNumber)
}

func TestCompanyTypesEncodeToTheGatewayShape(t *testing.T) {
	for name, body := range map[string]string{
		"organization": `{"orgNumber":"914742315","name":"TELENOR","sector":"telecom"}`,
		"account": `{"id":"12345678","accountReference1":"ref","owner":{"orgNumber":"1","name":"X"},` +
			`"personalPayer":{"name":"P"},"invoice":{"format":"EHF"},"status":"CANCELLED","type":"NORMAL","x":[1]}`,
		"subscription": `{"msisdn":"4799885577","type":"VOICE","userReference1":"a","userReference2":"b","userReference3":"c"}`,
		"agreement": `{"id":"123456","category":"Mobilt Bedriftsnett avtale","validFrom":"2017-06-30",` +
			`"validTo":"2017-06-30","owner":{"organizationNumber":"987654321","name":"Telenor ASA"},"status":"string"}`,
	} {
		t.Run(name, func(t *testing.T) {
			var enc []byte
			switch name {
			case "organization":
				_, enc = roundTrip[Organization](t, []byte(body))
			case "account":
				_, enc = roundTrip[Account](t, []byte(body))
			case "subscription":
				_, enc = roundTrip[MobileSubscription](t, []byte(body))
			case "agreement":
				_, enc = roundTrip[Agreement](t, []byte(body))
			}
			assert.JSONEq(t, body, string(enc))
		})
	}
}

// Account.Type and the status CANCELLED (telenor-api.md §10) decode.
func TestAccountTypeAndCancelledStatus(t *testing.T) {
	var a Account
	require.NoError(t, json.Unmarshal([]byte(`{"id":"1","status":"CANCELLED","type":"NORMAL"}`), &a))
	assert.Equal(t, "CANCELLED", a.Status)
	assert.Equal(t, "NORMAL", a.Type)
	assert.Nil(t, a.Unknown())
}

// One Organization type for both member names of the organization number:
// each decodes, and encodes back under the name it came in.
func TestOrganizationNumberUnderEitherName(t *testing.T) {
	for _, body := range []string{`{"orgNumber":"914742315","name":"X"}`, `{"organizationNumber":"914742315","name":"X"}`} {
		o, enc := roundTrip[Organization](t, []byte(body))
		assert.Equal(t, "914742315", o.OrgNumber, body)
		assert.Nil(t, o.Unknown(), body)
		assert.JSONEq(t, body, string(enc))
	}
	enc, err := json.Marshal(Organization{OrgNumber: "1"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"orgNumber":"1"}`, string(enc), "a value the app built uses the organizations endpoint's name")
}

func TestEncodeLeavesUnknownCapabilitiesUnknown(t *testing.T) {
	yes := true
	enc, err := json.Marshal(Capabilities{LTE: &yes})
	require.NoError(t, err)
	assert.JSONEq(t, `{"lte":true}`, string(enc), "nil stays absent: unknown, not false")

	c, enc := roundTrip[Capabilities](t, []byte(`{"lte":1,"hdVoice":null,"volte":true,"nr":false}`))
	assert.Nil(t, c.LTE, "a mistyped value stays unknown")
	assert.Equal(t, json.RawMessage("1"), c.Unknown()["lte"], "and is kept as sent")
	assert.JSONEq(t, `{"lte":1,"volte":true,"nr":false}`, string(enc))
}
