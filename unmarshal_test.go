package telenor

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// unmarshal skips json.Unmarshal's validation pass for the package's own
// decoders, so each of them must reject invalid JSON by itself.
func TestUnmarshalRejectsInvalidJSONForEveryDecoder(t *testing.T) {
	targets := map[string]func() any{
		"UserInfo":           func() any { return new(UserInfo) },
		"DeviceInfo":         func() any { return new(DeviceInfo) },
		"Organization":       func() any { return new(Organization) },
		"Account":            func() any { return new(Account) },
		"MobileSubscription": func() any { return new(MobileSubscription) },
		"Agreement":          func() any { return new(Agreement) },
		"page":               func() any { return new(page) },
	}
	bad := []string{
		`{"mobileNumber":"1"} trailing`,
		`{"mobileNumber":"1"}}`,
		`{"mobileNumber":`,
		`{"model":"x","capabilities":{"lte":true}`,
		`{"msisdn":"4799"`,
		`[{"msisdn":"4799"}`,
		`{"content":[1,2]} x`,
		`{,}`,
	}
	for name, newTarget := range targets {
		for _, in := range bad {
			t.Run(fmt.Sprintf("%s/%s", name, in), func(t *testing.T) {
				assert.Error(t, unmarshal([]byte(in), newTarget()))
			})
		}
	}
}
