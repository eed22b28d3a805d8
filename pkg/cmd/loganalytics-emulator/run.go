package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// options are the command's flags.
type options struct {
	addr, cert, key, caOut   string
	data                     []string
	tenant, clientID, secret string
	workspace                string
	noAuth                   bool
	rowLimit                 int
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func parseFlags(args []string, out io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loganalytics-emulator", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8443", "address to serve HTTPS on")
	fs.StringVar(&o.cert, "cert", "", "server certificate PEM (with -key); default: generate one")
	fs.StringVar(&o.key, "key", "", "server private key PEM (with -cert)")
	fs.StringVar(&o.caOut, "ca-out", filepath.Join(os.TempDir(), "loganalytics-emulator-ca.pem"), "where to write the generated CA certificate")
	var data listFlag
	fs.Var(&data, "data", "JSON Lines (.jsonl) or CSV (.csv) file, one table per file named after it (repeatable); default: the plugin's demo workspace")
	fs.StringVar(&o.tenant, "tenant", "72f988bf-0000-4000-8000-0000000e3a1d", "Entra tenant id accepted")
	fs.StringVar(&o.clientID, "client-id", "a9c3f1d2-0000-4000-8000-00000000c1d0", "Entra client id accepted")
	fs.StringVar(&o.secret, "client-secret", "emulator-secret", "the client's secret")
	fs.StringVar(&o.workspace, "workspace", "6d9a1f7e-5b1c-4c55-9a7e-3e0f1a2b3c4d", "workspace id to print in the settings (every GUID answers)")
	fs.BoolVar(&o.noAuth, "no-auth", false, "accept queries without a token from the Entra stand-in")
	fs.IntVar(&o.rowLimit, "row-limit", emulator.DefaultRowLimit, "rows per answer before truncation")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o.data = data
	if (o.cert == "") != (o.key == "") {
		return o, errors.New("-cert and -key go together")
	}
	if !emulator.IsGUID(o.tenant) || !emulator.IsGUID(o.workspace) {
		return o, errors.New("-tenant and -workspace must be GUIDs")
	}
	return o, nil
}

// run serves until ctx ends. ready, when set, gets the listening address (for tests).
func run(ctx context.Context, args []string, out io.Writer, ready func(addr string)) error {
	o, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	tables, err := loadTables(o.data)
	if err != nil {
		return err
	}
	tlsConfig, caNote, err := serverTLS(o)
	if err != nil {
		return err
	}
	entra := standin.NewEntraHandler(standin.EntraConfig{
		Clients: map[string]string{o.clientID: o.secret},
		Tenants: []string{o.tenant},
	})
	laOpts := []emulator.Option{emulator.WithRowLimit(o.rowLimit)}
	if !o.noAuth {
		laOpts = append(laOpts, emulator.WithTokenValidator(entra.IssuedToken))
	}
	var la http.Handler = demo.New(demo.WithHandlerOptions(laOpts...))
	if len(tables) > 0 {
		la = emulator.NewLogAnalyticsHandler(emulator.NewEngineExecutor(tables...), laOpts...)
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: standin.NewMux(la, entra), TLSConfig: tlsConfig, ReadHeaderTimeout: 10 * time.Second}
	base := "https://" + ln.Addr().String()
	printSettings(out, o, base, caNote, tables)
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(tls.NewListener(ln, tlsConfig)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// loadTables reads the -data files; none means the demo workspace.
func loadTables(paths []string) ([]*kql.Table, error) {
	var out []*kql.Table
	for _, p := range paths {
		t, err := sampledata.LoadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// serverTLS loads -cert/-key, or makes a CA and a certificate for the address's host.
func serverTLS(o options) (*tls.Config, string, error) {
	if o.cert != "" {
		c, err := tls.LoadX509KeyPair(o.cert, o.key)
		if err != nil {
			return nil, "", err
		}
		return &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}, "your certificate " + o.cert, nil
	}
	hosts := append([]string(nil), standin.DefaultHosts...)
	if h, _, err := net.SplitHostPort(o.addr); err == nil && h != "" && h != "0.0.0.0" && h != "::" {
		hosts = append(hosts, h)
	}
	ca, err := standin.NewTestCA(hosts...)
	if err != nil {
		return nil, "", err
	}
	if err := ca.WritePEM(o.caOut); err != nil {
		return nil, "", err
	}
	return ca.ServerTLSConfig(), "generated; CA certificate in " + o.caOut + " (set SSL_CERT_FILE to it)", nil
}

func printSettings(out io.Writer, o options, base, caNote string, tables []*kql.Table) {
	fmt.Fprintf(out, "Log Analytics emulator on %s\n", base)
	fmt.Fprintf(out, "  query API:   POST %s/v1/workspaces/{workspace GUID}/query\n", base)
	fmt.Fprintf(out, "  Entra ID:    %s/%s/oauth2/v2.0/token (client %s)\n", base, o.tenant, o.clientID)
	fmt.Fprintf(out, "  TLS:         %s\n", caNote)
	fmt.Fprintf(out, "  approval:    on a loopback or private address the plugin connects only if the Grafana server admin approves it: %s=%s in the plugin's environment\n", egress.EnvAllowedHosts, strings.TrimPrefix(base, "https://"))
	for _, t := range tables {
		fmt.Fprintf(out, "  table:       %s (%d rows)\n", t.Name(), t.Len())
	}
	if len(tables) == 0 {
		fmt.Fprintf(out, "  table:       DeviceNetworkEvents (%d rows, the plugin's demo workspace: the last 7 days, regenerated hourly)\n", demo.Rows)
	}
	if o.noAuth {
		fmt.Fprintln(out, "  auth:        off (any or no token accepted)")
	}
	jsonData := map[string]any{
		"azureCredentials": map[string]string{
			"authType": "clientsecret", "azureCloud": "AzureCustomizedCloud", "tenantId": o.tenant, "clientId": o.clientID,
		},
		"workspaceId": o.workspace,
		"endpoints":   map[string]string{"logAnalytics": base + "/v1", "authority": base + "/"},
	}
	j, _ := json.Marshal(jsonData)
	s, _ := json.Marshal(map[string]string{"azureClientSecret": o.secret})
	fmt.Fprintf(out, "Datasource settings:\n  jsonData:       %s\n  secureJsonData: %s\n", j, s)
}
