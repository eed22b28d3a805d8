package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Progress timing: quiet for a quick query; on a terminal the line is rewritten every tick, in a
// log a line is added every logEvery.
const (
	progressAfter = time.Second
	progressTick  = time.Second
	logEvery      = 10 * time.Second
)

// progress tells someone waiting that the query is still running, on standard error.
type progress struct {
	w     io.Writer
	tty   bool
	label string
	start time.Time
	// last is when a line was last printed (zero: never).
	last time.Time
}

// tick prints the elapsed time when it is due.
func (p *progress) tick(now time.Time) {
	elapsed := now.Sub(p.start)
	if elapsed < progressAfter {
		return
	}
	secs := int(elapsed.Round(time.Second) / time.Second)
	switch {
	case p.tty:
		fmt.Fprintf(p.w, "\r\x1b[Khunt: %s (%ds)", p.label, secs)
	case p.last.IsZero() || now.Sub(p.last) >= logEvery:
		fmt.Fprintf(p.w, "hunt: %s (%ds)\n", p.label, secs)
	default:
		return
	}
	p.last = now
}

// done clears the terminal's progress line.
func (p *progress) done() {
	if p.tty && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// withProgress runs f, ticking p until it returns or ctx ends.
func withProgress(ctx context.Context, p *progress, ticks <-chan time.Time, f func() (data.Frames, error)) (data.Frames, error) {
	type result struct {
		frames data.Frames
		err    error
	}
	c := make(chan result, 1)
	go func() {
		frames, err := f()
		c <- result{frames, err}
	}()
	defer p.done()
	for {
		select {
		case r := <-c:
			return r.frames, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		case now := <-ticks:
			p.tick(now)
		}
	}
}
