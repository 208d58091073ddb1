package telenor

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/telenor-go/telenor/internal/wire"
)

// wire.Unmarshal skips json.Unmarshal's validation pass for the package's own
// decoders, so each of them must reject invalid JSON by itself; a page's
// array is checked as its items are decoded.
func TestUnmarshalRejectsInvalidJSONForEveryDecoder(t *testing.T) {
	targets := map[string]func([]byte) error{
		"UserInfo":           func(b []byte) error { return wire.Unmarshal(b, new(UserInfo)) },
		"DeviceInfo":         func(b []byte) error { return wire.Unmarshal(b, new(DeviceInfo)) },
		"Organization":       func(b []byte) error { return wire.Unmarshal(b, new(Organization)) },
		"Account":            func(b []byte) error { return wire.Unmarshal(b, new(Account)) },
		"MobileSubscription": func(b []byte) error { return wire.Unmarshal(b, new(MobileSubscription)) },
		"Agreement":          func(b []byte) error { return wire.Unmarshal(b, new(Agreement)) },
		"page": func(b []byte) error {
			var p wire.Page
			if err := wire.Unmarshal(b, pageDecoder{&p}); err != nil {
				return err
			}
			_, err := decodeItems[MobileSubscription]("/x", p.Items, 10)
			return err
		},
	}
	bad := []string{
		`{"mobileNumber":"1"} trailing`,
		`{"mobileNumber":"1"}}`,
		`{"mobileNumber":`,
		`{"model":"x","capabilities":{"lte":true}`,
		`{"msisdn":"4799"`,
		`[{"msisdn":"4799"}`,
		`[{"msisdn":"4799"},]`,
		`{"content":[1,2]} x`,
		`{,}`,
	}
	for name, decode := range targets {
		for _, in := range bad {
			t.Run(fmt.Sprintf("%s/%s", name, in), func(t *testing.T) {
				assert.Error(t, decode([]byte(in)))
			})
		}
	}
}
