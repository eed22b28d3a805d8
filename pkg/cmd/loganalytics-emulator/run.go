package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// run serves until ctx ends. ready, when set, gets the listening address (for tests).
//
// The order matters: the flags and data files are checked, then the address is bound, and only
// then is anything written (the CA file), so that a start that fails (a port in use) leaves a
// running emulator and its files untouched.
func run(ctx context.Context, args []string, out io.Writer, ready func(addr string)) error {
	o, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	tables, err := loadTables(o.data)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("cannot serve on %s (is an emulator already running there? pick another -addr): %w", o.addr, err)
	}
	defer ln.Close()
	tlsConfig, caPath, cleanup, err := serverTLS(o, ln.Addr())
	if err != nil {
		return err
	}
	defer cleanup()

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
	if !o.noAuth {
		la = withAuthHint(la)
	}
	srv := &http.Server{Handler: standin.NewMux(la, entra), TLSConfig: tlsConfig, ReadHeaderTimeout: 10 * time.Second}
	printBanner(out, banner{opts: o, base: "https://" + ln.Addr().String(), caPath: caPath, tables: tables})
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
