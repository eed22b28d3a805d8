package loganalytics

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
)

// What a decoded answer holds, per cell, as booked against the process's result budget (see
// ClientOptions.Budget). These are the sizes of the Go values the decoder really keeps, so the
// budget follows the heap:
//
//   - while decoding, in growable column slices (their whole capacity is booked): datetime 24
//     bytes (time.Time), long, real and decimal 8, int 4, bool 1, and string, guid, timespan and
//     dynamic 4 (the row's index into its column's distinct values); a column with a null also
//     keeps 1 bit per row;
//   - each distinct string, once per column: its bytes + bytesPerDistinct (its slot in the
//     distinct values, its first row, and its interning map entry, the map being dropped once
//     the table is decoded);
//   - when the frame is made: the field's own slice, the same sizes again for numbers and times
//     (after which the decoder's copy is given back), 16 bytes per string cell (8 when the column
//     is nullable: a pointer to its distinct value), and 8 per cell of a nullable number (a
//     pointer to the decoder's value, which stays);
//   - the scanner's buffer beyond its first 64 KiB, and the error, statistics and render objects.
//
// Not booked: the garbage a grown slice leaves until the collector runs, a few kilobytes per
// query, and whatever a caller computes from the frames.
const (
	bytesPerDistinct   = 16 + 8 + 56
	bytesPerDistinctGC = 56 // the map entry's share, given back when the map is dropped
)

// ErrResultTooLarge: the answer did not fit in the process's result memory budget.
var ErrResultTooLarge = errors.New("result too large")

// TooLargeError says the answer ran out of result memory after Cells cells.
type TooLargeError struct {
	Cells  int64 // cells decoded when the budget ran out
	Budget int64 // the process's budget, bytes
	// Shared: the budget was full of other queries' results, all needing more, and this query
	// gave way (membudget.ErrGaveWay); alone it might have fitted.
	Shared bool
}

func (e *TooLargeError) Error() string {
	if e.Shared {
		return fmt.Sprintf("result too large: %d cells read when the result memory budget (%s, %s), shared with the queries running at the same time, ran out; narrow the KQL or use counts, or run it when fewer queries run",
			e.Cells, membudget.FormatSize(e.Budget), membudget.EnvVar)
	}
	return fmt.Sprintf("result too large: %d cells read when the result memory budget (%s, %s) ran out; narrow the KQL or use counts",
		e.Cells, membudget.FormatSize(e.Budget), membudget.EnvVar)
}

// Unwrap exposes ErrResultTooLarge and membudget.ErrTooLarge.
func (e *TooLargeError) Unwrap() []error { return []error{ErrResultTooLarge, membudget.ErrTooLarge} }

// meter books one answer's memory: it grows the query's reservation in blocks (so most cells
// cost no lock) and hands the blocks out as the decoder allocates.
type meter struct {
	ctx    context.Context // while decoding; nil after, so the meter holds nothing of the answer
	res    *membudget.Reservation
	limit  int64
	credit int64 // reserved, not yet allocated
	block  int64
	cells  int64

	once sync.Once
	live atomic.Int64 // fields of the result not yet garbage
}

const (
	firstBlock = 64 << 10
	maxBlock   = 8 << 20
)

func newMeter(ctx context.Context, b *membudget.Budget) *meter {
	return &meter{ctx: ctx, res: b.Reserve(), limit: b.Limit(), block: firstBlock}
}

// take books n bytes about to be allocated, waiting for room if need be.
func (m *meter) take(n int64) error {
	if n <= m.credit {
		m.credit -= n
		return nil
	}
	need := max(n-m.credit, m.block)
	m.block = min(m.block*2, maxBlock)
	err := m.res.Grow(m.ctx, need)
	if errors.Is(err, membudget.ErrTooLarge) && need > n-m.credit {
		// The block does not fit; exactly what is missing may.
		need = n - m.credit
		err = m.res.Grow(m.ctx, need)
	}
	if errors.Is(err, membudget.ErrTooLarge) {
		return &TooLargeError{Cells: m.cells, Budget: m.limit, Shared: errors.Is(err, membudget.ErrGaveWay)}
	}
	if err != nil {
		return err
	}
	m.credit += need - n
	return nil
}

// give books n bytes as freed.
func (m *meter) give(n int64) { m.credit += n }

// settle returns the unused credit to the budget once decoding is over.
func (m *meter) settle() {
	m.res.Shrink(m.credit)
	m.credit = 0
	m.ctx = nil
}

// release gives everything back: the frames are no longer used. Safe to call more than once and
// from the collector's cleanup goroutine.
func (m *meter) release() {
	m.once.Do(func() {
		m.credit = 0
		m.res.Release()
	})
}

// releaseWhenCollected releases the result once every field of frames is garbage, for a caller
// that drops a Result without calling Release: the budget then follows the heap, late but never
// leaking. (Nothing the meter holds may reach a field, or the fields would never be collected.)
func (m *meter) releaseWhenCollected(frames data.Frames) {
	var fields []*data.Field
	for _, f := range frames {
		for _, fld := range f.Fields {
			if fld != nil {
				fields = append(fields, fld)
			}
		}
	}
	if len(fields) == 0 {
		m.release()
		return
	}
	m.live.Store(int64(len(fields)))
	for _, fld := range fields {
		runtime.AddCleanup(fld, func(m *meter) {
			if m.live.Add(-1) == 0 {
				m.release()
			}
		}, m)
	}
}
