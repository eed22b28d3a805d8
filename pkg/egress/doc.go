// Package egress decides where the plugin may connect on behalf of a datasource, and holds the HTTP
// transport that enforces it.
//
// One plugin process serves every user of a Grafana server, and a datasource editor is not the server
// admin: the endpoints in a datasource's jsonData are chosen by the editor, but the network position
// of the process (loopback services, the cloud metadata endpoint, the private network) belongs to the
// admin. So:
//
//   - Every address the plugin dials for an editor-facing endpoint (the Log Analytics API and the
//     Entra ID authority) is classified (Classify). Public addresses are allowed; loopback,
//     link-local, cloud metadata, private, shared (CGNAT), unspecified, multicast and the other
//     special-purpose ranges are refused unless the admin approved the host in the process's
//     environment variable KQLHUNT_ALLOWED_ENDPOINT_HOSTS (ParseAllowList).
//   - The check runs on the address actually dialled, in the dialer's Control hook, after name
//     resolution: a name that resolved to a public address when the settings were saved cannot later
//     be rebound by DNS to an internal one. An approved host name is trusted wherever the server's
//     DNS sends it (the admin approved the name, and the server's DNS is the admin's), except to a
//     cloud metadata address, which only an approved IP literal opens.
//   - No redirect is followed (Transport.Do): a 3xx answer becomes an error that names its target.
//     Go's http.Client would keep the Authorization header across a change of scheme or port, so a
//     redirect to http:// on the same host would carry the bearer token in clear text.
//   - A transport may further be restricted to approved hosts only (Use.ApprovedHostsOnly), for the
//     server's own identities (managed and workload identity), whose tokens must never reach a host
//     the admin did not approve, not even a public one.
//
// Endpoints the server's environment sets, such as the managed identity endpoint (IMDS at
// 169.254.169.254, or App Service's IDENTITY_ENDPOINT on loopback), are not the editor's choice and
// are reached through ServerClient, which follows no redirects but checks no addresses.
//
// When the admin configures an HTTP proxy (HTTPS_PROXY, which Grafana forwards to plugins), the
// proxy resolves target names itself: the plugin then refuses targets given as internal IP literals,
// and the proxy is the admin's egress control for names.
//
// The package is Grafana-free and Azure-free: it sees hosts, addresses and HTTP requests only.
package egress
