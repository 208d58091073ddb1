package webapp

import (
	"net/http"

	"github.com/telenor-go/telenor"
)

// profile fetches what the /me page shows from the Mobile User API.
func profile(r *http.Request, user *telenor.UserSession) (mePage, error) {
	info, err := user.UserInfo(r.Context())
	if err != nil {
		return mePage{}, err
	}
	dev, err := user.DeviceInfo(r.Context())
	if err != nil {
		return mePage{}, err
	}
	return mePage{
		Name:         info.Name.Full(),
		MobileNumber: formatMobileNumber(info.MobileNumber),
		Manufacturer: dev.Manufacturer,
		Model:        dev.Model,
		Capabilities: capabilityRows(dev.Capabilities),
	}, nil
}
