// Command loganalytics-emulator serves the Log Analytics query API, backed by the KQL engine over
// generated DeviceNetworkEvents or your own JSON Lines / CSV files, and an Entra ID stand-in for
// client-secret sign-in, from one HTTPS origin:
//
//	go run ./pkg/cmd/loganalytics-emulator -addr 127.0.0.1:8443 -rows 200000 -seed 42
//	go run ./pkg/cmd/loganalytics-emulator -data DeviceNetworkEvents.jsonl -data Other.csv
//	go run ./pkg/cmd/loganalytics-emulator -cert server.pem -key server-key.pem
//
// Without -cert/-key it makes a CA and a server certificate and writes the CA to -ca-out (point
// Grafana's SSL_CERT_FILE at it). Queries go to https://ADDR/v1/workspaces/{any GUID}/query and
// tokens come from https://ADDR/{tenant}/oauth2/v2.0/token; it prints the datasource settings
// (jsonData.endpoints.logAnalytics = https://ADDR/v1, jsonData.endpoints.authority = https://ADDR/).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "loganalytics-emulator:", err)
		os.Exit(1)
	}
}
