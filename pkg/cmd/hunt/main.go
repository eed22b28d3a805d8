// Command hunt runs the KQL Anomaly Hunting datasource from a terminal: any query model (KQL, the
// notebook's anomaly scoring, its pivots) through the same datasource code Grafana runs (the
// plugin's instance factory and QueryData, called as Grafana calls them), against the built-in demo
// workspace or a workspace described by a provisioning file. With no flags it prints the notebook's
// analysis of the demo workspace: the connections of the last day that the isolation forest flags.
//
//	go run ./pkg/cmd/hunt
//	go run ./pkg/cmd/hunt -output top -format csv
//	go run ./pkg/cmd/hunt -pivot temp-folder -values 3f7c2a9e.exe
//	go run ./pkg/cmd/hunt -settings provisioning/datasources/datasources.yml -datasource kqlhunt-sentinel
//
// Run it with -help for the flags and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

func main() {
	// The SDK's logger writes JSON lines for Grafana's log; here every failure the plugin logs is
	// also the query's error, which run prints in words.
	log.DefaultLogger = log.NewNullLogger()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
