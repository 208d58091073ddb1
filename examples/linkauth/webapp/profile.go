package webapp

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/telenor-go/telenor"
)

// profile fetches what the /me page shows from the Mobile User API.
func profile(r *http.Request, user *telenor.Session) (mePage, error) {
	info, err := user.UserInfo(r.Context())
	if err != nil {
		return mePage{}, err
	}
	dev, err := user.DeviceInfo(r.Context())
	if err != nil {
		return mePage{}, err
	}
	n := info.Name
	return mePage{
		Name:         strings.Join(strings.Fields(n.GivenName+" "+n.MiddleName+" "+n.FamilyName), " "),
		MobileNumber: info.MobileNumber,
		Manufacturer: dev.Manufacturer,
		Model:        dev.Model,
		Capabilities: capabilities(dev.Capabilities),
	}, nil
}

// capabilities lists the device's capabilities: the modelled ones always
// ("unknown" when the gateway did not say), then any others by name.
func capabilities(c telenor.Capabilities) []capability {
	list := []capability{
		{"HD Voice", yesNo(c.HDVoice)},
		{"4G (LTE)", yesNo(c.LTE)},
		{"4G+ (LTE Advanced)", yesNo(c.LTEAdvanced)},
	}
	for _, name := range slices.Sorted(maps.Keys(c.Other)) {
		on := c.Other[name]
		list = append(list, capability{name, yesNo(&on)})
	}
	return list
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "unknown"
	case *b:
		return "yes"
	}
	return "no"
}
