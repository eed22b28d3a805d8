package standin

import (
	"net/http"
	"strings"
)

// NewMux serves both stand-ins from one origin: paths under /v1/ go to logAnalytics, every other
// path to entra. The two never overlap (Entra's paths start with a tenant, never "v1"), and one
// origin means one certificate and settings such as
//
//	jsonData.endpoints.logAnalytics = https://127.0.0.1:8443/v1
//	jsonData.endpoints.authority    = https://127.0.0.1:8443/
//
// The authority must be the origin's root: MSAL takes the first path segment as the tenant.
func NewMux(logAnalytics, entra http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") || r.URL.Path == "/v1" {
			logAnalytics.ServeHTTP(w, r)
			return
		}
		if entra == nil {
			logAnalytics.ServeHTTP(w, r) // which answers the service's 404 for a path it does not serve
			return
		}
		entra.ServeHTTP(w, r)
	})
}
