package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// banner is what the emulator prints once it listens.
type banner struct {
	opts   options
	base   string // https://host:port
	caPath string // the generated CA's file; "" with -cert
	tables []*kql.Table
}

// curlHeading introduces the curl sequence; the tests run the lines under it.
const curlHeading = "Try it with curl"

func printBanner(out io.Writer, b banner) {
	o := b.opts
	fmt.Fprintf(out, "Log Analytics emulator on %s (Ctrl-C or SIGTERM stops it)\n", b.base)
	fmt.Fprintf(out, "  query API:   POST %s/v1/workspaces/{workspace GUID}/query\n", b.base)
	fmt.Fprintf(out, "  Entra ID:    POST %s/%s/oauth2/v2.0/token (client %s)\n", b.base, o.tenant, o.clientID)
	if b.caPath != "" {
		fmt.Fprintf(out, "  TLS:         generated; CA certificate in %s (set SSL_CERT_FILE to it)\n", b.caPath)
	} else {
		fmt.Fprintf(out, "  TLS:         your certificate %s\n", o.cert)
	}
	fmt.Fprintf(out, "  approval:    on a loopback or private address the plugin connects only if the Grafana server admin approves it: %s=%s in the plugin's environment\n", egress.EnvAllowedHosts, strings.TrimPrefix(b.base, "https://"))
	for _, t := range b.tables {
		fmt.Fprintf(out, "  table:       %s (%d rows)\n", t.Name(), t.Len())
	}
	if len(b.tables) == 0 {
		fmt.Fprintf(out, "  table:       DeviceNetworkEvents (%d rows, the plugin's demo workspace: the last 7 days, regenerated hourly)\n", demo.Rows)
	}
	if o.noAuth {
		fmt.Fprintln(out, "  auth:        off (-no-auth): any or no token is accepted")
	} else {
		fmt.Fprintln(out, "  auth:        a bearer token from the Entra ID stand-in (or restart with -no-auth)")
	}
	steps := "a token, then a query"
	if o.noAuth {
		steps = "a query, no token needed"
	}
	fmt.Fprintf(out, "\n%s (%s):\n", curlHeading, steps)
	for _, line := range curlLines(b) {
		fmt.Fprintln(out, "  "+line)
	}
	jsonData := map[string]any{
		"azureCredentials": map[string]string{
			"authType": "clientsecret", "azureCloud": "AzureCustomizedCloud", "tenantId": o.tenant, "clientId": o.clientID,
		},
		"workspaceId": o.workspace,
		"endpoints":   map[string]string{"logAnalytics": b.base + "/v1", "authority": b.base + "/"},
	}
	j, _ := json.Marshal(jsonData)
	s, _ := json.Marshal(map[string]string{"azureClientSecret": o.secret})
	fmt.Fprintf(out, "\nDatasource settings:\n  jsonData:       %s\n  secureJsonData: %s\n", j, s)
}

// curlLines is a shell sequence that signs in as the emulator's client and runs a query, one
// command per line group, continuation lines ending in a backslash.
func curlLines(b banner) []string {
	o := b.opts
	curl := "curl -sS --fail-with-body"
	if b.caPath != "" {
		curl += " --cacert " + shellQuote(b.caPath)
	}
	table := "DeviceNetworkEvents"
	kql := table + " | summarize Connections = count() by ActionType"
	if len(b.tables) > 0 {
		table = b.tables[0].Name()
		kql = table + " | take 5"
	}
	body, _ := json.Marshal(map[string]string{"query": kql})
	query := []string{
		curl + " -H 'Content-Type: application/json' \\",
		"    -d " + shellQuote(string(body)) + " \\",
		"    " + b.base + "/v1/workspaces/" + o.workspace + "/query",
	}
	if o.noAuth {
		return query
	}
	query[0] = curl + ` -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \`
	return append([]string{
		"TOKEN=$(" + curl + " " + b.base + "/" + o.tenant + "/oauth2/v2.0/token \\",
		"    -d grant_type=client_credentials -d client_id=" + shellQuote(o.clientID) + " -d client_secret=" + shellQuote(o.secret) + " \\",
		"    --data-urlencode scope=" + loganalytics.DefaultAudience + "/.default \\",
		`    | sed -E 's/.*"access_token":"([^"]+)".*/\1/')`,
	}, query...)
}

// shellQuote quotes s for bash (unchanged when it needs no quoting).
func shellQuote(s string) string {
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return q
}
