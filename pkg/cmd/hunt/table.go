package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/mattn/go-runewidth"
)

// Table layout: columns are separated by gap spaces. When the table is wider than the limit, the
// widest text columns are cut first, with an ellipsis, down to textFloor cells; a header may be cut
// to its column's values; numbers are never cut (a cut number reads as another number).
const (
	gap       = 2
	textFloor = 8
	ellipsis  = "…"
)

// writeTable prints each frame as an aligned table (numbers to the right), at most limit cells
// wide (0: no limit), under the frame's name when there are several, with its row count.
func writeTable(w io.Writer, frames data.Frames, limit int, warn func(string)) error {
	bw := bufio.NewWriter(w)
	for n, f := range frames {
		if n > 0 {
			fmt.Fprintln(bw)
		}
		if len(frames) > 1 {
			fmt.Fprintf(bw, "%s\n", f.Name)
		}
		writeFrameTable(bw, f, limit, warn)
	}
	return bw.Flush()
}

func writeFrameTable(w io.Writer, f *data.Frame, limit int, warn func(string)) {
	rows, _ := f.RowLen()
	cells := make([][]string, rows+1)
	cells[0] = make([]string, len(f.Fields))
	right := make([]bool, len(f.Fields))
	for c, fld := range f.Fields {
		cells[0][c] = escapeControls(columnName(fld))
		right[c] = fld.Type().Numeric()
	}
	for r := 0; r < rows; r++ {
		cells[r+1] = make([]string, len(f.Fields))
		for c, fld := range f.Fields {
			cells[r+1][c] = tableText(fld, r)
		}
	}
	// Two floors: first headers are cut to their values (keeping a few cells), then text values
	// to textFloor; numbers are never cut.
	widths := make([]int, len(f.Fields))
	headerFloors := make([]int, len(f.Fields))
	textFloors := make([]int, len(f.Fields))
	for c := range f.Fields {
		values := 0
		for _, row := range cells[1:] {
			values = max(values, runewidth.StringWidth(row[c]))
		}
		header := runewidth.StringWidth(cells[0][c])
		widths[c] = max(values, header)
		headerFloors[c] = max(values, min(header, runewidth.StringWidth(ellipsis)+3))
		textFloors[c] = headerFloors[c]
		if !right[c] {
			textFloors[c] = min(headerFloors[c], textFloor)
		}
	}
	fits := true
	if limit > 0 {
		if widths, fits = fit(widths, headerFloors, limit); !fits {
			widths, fits = fit(widths, textFloors, limit)
		}
	}
	line := func(row []string) {
		var b strings.Builder
		for c, s := range row {
			if c > 0 {
				b.WriteString(strings.Repeat(" ", gap))
			}
			s = runewidth.Truncate(s, widths[c], ellipsis)
			pad := strings.Repeat(" ", widths[c]-runewidth.StringWidth(s))
			if right[c] {
				b.WriteString(pad + s)
			} else if c < len(row)-1 {
				b.WriteString(s + pad)
			} else {
				b.WriteString(s) // no trailing spaces
			}
		}
		out := b.String()
		if !fits {
			out = runewidth.Truncate(out, limit, ellipsis)
		}
		fmt.Fprintln(w, out)
	}
	line(cells[0])
	rule := make([]string, len(widths))
	for c, wd := range widths {
		rule[c] = strings.Repeat("-", wd)
	}
	line(rule)
	for _, row := range cells[1:] {
		line(row)
	}
	switch rows {
	case 0:
		fmt.Fprintln(w, "(no rows)")
	case 1:
		fmt.Fprintln(w, "(1 row)")
	default:
		fmt.Fprintf(w, "(%d rows)\n", rows)
	}
	if !fits {
		warn(fmt.Sprintf("the table's %d columns do not fit in %d cells even cut: its lines are cut; use a wider terminal, -width 0 (with less -S), -format csv, or fewer columns (| project in -kql)", len(widths), limit))
	}
}

// fit narrows the widest column that is above its floor, one cell at a time, until the table is
// at most limit cells wide; it reports whether the table fits.
func fit(widths, floors []int, limit int) ([]int, bool) {
	out := append([]int(nil), widths...)
	total := gap * max(len(out)-1, 0)
	for _, w := range out {
		total += w
	}
	for total > limit {
		widest := -1
		for c, w := range out {
			if w > floors[c] && (widest < 0 || w > out[widest]) {
				widest = c
			}
		}
		if widest < 0 {
			return out, false
		}
		out[widest]--
		total--
	}
	return out, true
}
