package telenortest

import (
	"net/http"
)

// routes registers every endpoint on s.mux. A new endpoint lives in its
// own file and adds its paths here; counting and fault injection apply
// to it without further work.
func (s *Server) routes() {
	s.mux.HandleFunc(PasswordTokenPath, s.handleToken)
	s.mux.HandleFunc(TokenPath, s.handleToken)
	s.mux.HandleFunc(AuthPath, s.handleAuthorize)
	s.mux.HandleFunc(UserInfoPath, s.handleUserInfo)
	s.mux.HandleFunc(DeviceInfoPath, s.handleDeviceInfo)
	s.mux.HandleFunc(LogoutPath, s.handleLogout)
	s.mux.HandleFunc(OrganizationsPath, s.handleOrganizations)
	s.mux.HandleFunc(AccountsPath, s.handleAccounts)
	s.mux.HandleFunc(MobileSubscriptionsPath, s.handleMobileSubscriptions)
	s.mux.HandleFunc(AgreementsPath, s.handleAgreements)
	s.mux.HandleFunc("/", s.handleNotFound)
}

// handleNotFound answers paths the gateway has no proxy for, as Apigee
// does.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeApigeeFault(w, http.StatusNotFound,
		"Unable to identify proxy for host: "+r.Host+" and url: "+r.URL.Path,
		"messaging.adaptors.http.flow.ApplicationNotFound")
}
