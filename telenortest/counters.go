package telenortest

// Requests reports how many requests have reached path (an exact URL
// path such as [PasswordTokenPath]), whatever their method and outcome.
// A request is counted when it arrives, before any fault is applied, so
// faulted requests count too.
func (s *Server) Requests(path string) int { return s.faults.count(path) }

// TokenRequests reports how many requests have reached the token
// endpoint, summed over [PasswordTokenPath] and [TokenPath].
func (s *Server) TokenRequests() int {
	return s.Requests(PasswordTokenPath) + s.Requests(TokenPath)
}
