package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"golang.org/x/term"
)

// run is the command: it parses args, runs the query, prints the answer on stdout and everything
// else on stderr, and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usage := func(err error) int {
		fmt.Fprintf(stderr, "hunt: %v\nRun hunt -help for the flags.\n", err)
		return exitUsage
	}
	warn := func(msg string) { fmt.Fprintf(stderr, "hunt: warning: %s\n", msg) }
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var bad *usageError
	if errors.As(err, &bad) {
		return usage(err)
	}
	if err != nil {
		return exitUsage // the flag package has printed the error and the usage
	}
	model, err := buildModel(o, stdin)
	if err != nil {
		return usage(err)
	}
	from, to, err := timeRange(o, time.Now())
	if err != nil {
		return usage(err)
	}
	ds := demoDatasource
	if o.settings != "" {
		if ds, err = loadDatasource(o.settings, o.dsName, os.Getenv, warn); err != nil {
			return usage(fmt.Errorf("-settings: %w", err))
		}
	}
	req := request{model: model, from: from, to: to, interval: interval(o, from, to)}
	p := &progress{w: stderr, tty: isTerminal(stderr), label: fmt.Sprintf("waiting for %s", ds.Name), start: time.Now()}
	if o.quiet {
		p.w = io.Discard
	}
	ticker := time.NewTicker(progressTick)
	defer ticker.Stop()
	frames, err := withProgress(ctx, p, ticker.C, func() (data.Frames, error) { return query(ctx, ds, req) })
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "hunt: interrupted")
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "hunt: %s: %v\n", ds.Name, err)
		return exitFailed
	}
	for _, f := range frames {
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				warn(n.Text)
			}
		}
	}
	switch o.format {
	case formatCSV:
		err = writeCSV(stdout, frames, warn)
	case formatJSON:
		err = writeJSON(stdout, frames)
	default:
		err = writeTable(stdout, frames, tableWidth(o.width, stdout), warn)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hunt: writing the answer: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// tableWidth is -width, or the terminal's width when standard output is a terminal (no limit
// when it is a file or a pipe).
func tableWidth(width int, stdout io.Writer) int {
	if width != widthAuto {
		return width
	}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 0
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
