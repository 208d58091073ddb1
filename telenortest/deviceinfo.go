package telenortest

import "net/http"

// deviceInfoJSON is the device-info body, with the documented member
// names. Capabilities are served exactly as the Device lists them: an
// absent name means "unknown".
type deviceInfoJSON struct {
	Model        string          `json:"model"`
	Manufacturer string          `json:"manufacturer"`
	TAC          string          `json:"tac"`
	Capabilities map[string]bool `json:"capabilities"`
}

// handleDeviceInfo serves DeviceInfoPath for the subscriber's tokens.
func (s *Server) handleDeviceInfo(w http.ResponseWriter, r *http.Request) {
	if !s.subscriberToken(w, r) {
		return
	}
	d := s.opts.subscriber.Device
	caps := d.Capabilities
	if caps == nil {
		caps = map[string]bool{}
	}
	writeJSON(w, http.StatusOK, mustJSON(deviceInfoJSON{d.Model, d.Manufacturer, d.TAC, caps}))
}
