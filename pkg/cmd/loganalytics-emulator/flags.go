package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
)

// options are the command's flags.
type options struct {
	addr, cert, key, caOut   string
	certHosts                []string
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
	fs.StringVar(&o.cert, "cert", "", "server certificate PEM (with -key); default: generate a CA and a certificate")
	fs.StringVar(&o.key, "key", "", "server private key PEM (with -cert)")
	fs.StringVar(&o.caOut, "ca-out", "", "where to write the generated CA certificate; default: ca.pem in a new temporary directory, removed on exit")
	var certHosts, data listFlag
	fs.Var(&certHosts, "cert-host", "another DNS name or IP address for the generated certificate, e.g. host.docker.internal for Grafana in Docker (repeatable)")
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
	o.certHosts, o.data = certHosts, data
	if (o.cert == "") != (o.key == "") {
		return o, errors.New("-cert and -key go together")
	}
	if o.cert != "" && (o.caOut != "" || len(o.certHosts) > 0) {
		return o, errors.New("-ca-out and -cert-host are for the generated certificate: leave them out with -cert and -key")
	}
	if !emulator.IsGUID(o.tenant) || !emulator.IsGUID(o.workspace) {
		return o, errors.New("-tenant and -workspace must be GUIDs")
	}
	return o, nil
}
