// Command loganalytics-emulator serves the Log Analytics query API, backed by the KQL engine over
// the plugin's demo workspace or your own JSON Lines / CSV files, and an Entra ID stand-in for
// client-secret sign-in, from one HTTPS origin, for the plugin's real sign-in path and for any
// other Log Analytics client (curl, azquery, the Azure CLI's REST calls):
//
//	go build -o /tmp/la-emulator ./pkg/cmd/loganalytics-emulator
//	/tmp/la-emulator                                     # the demo workspace on https://127.0.0.1:8443
//	/tmp/la-emulator -no-auth                            # no token needed
//	/tmp/la-emulator -data pkg/cmd/loganalytics-emulator/examples/DeviceInfo.csv \
//	    -data pkg/cmd/loganalytics-emulator/examples/DeviceLogonEvents.jsonl   # your own tables
//	/tmp/la-emulator -cert server.pem -key server-key.pem
//
// It binds its address before anything else, so a second start on a busy port fails without
// touching the running one's files. Without -cert/-key it makes a CA and a server certificate and
// writes the CA to -ca-out, by default ca.pem in a new temporary directory that is removed when
// the emulator stops (point SSL_CERT_FILE or curl --cacert at it). Queries go to
// https://ADDR/v1/workspaces/{any GUID}/query and tokens come from
// https://ADDR/{tenant}/oauth2/v2.0/token; on start it prints a curl sequence that does both, and
// the datasource settings (jsonData.endpoints.logAnalytics = https://ADDR/v1,
// jsonData.endpoints.authority = https://ADDR/). SIGINT or SIGTERM stops it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "loganalytics-emulator:", err)
		os.Exit(1)
	}
}
