// Package membudget is the plugin process's budget for decoded query results: one Budget per
// process, shared by every concurrent query, so that no mix of queries takes the process past
// its memory limit (issue 7 item 5). A query takes a Reservation, grows it as it decodes, and
// releases it when its frames are no longer needed.
//
// # Waiting, and why it cannot deadlock
//
// A Grow that does not fit waits for room, honouring its context. Waiting alone could deadlock:
// two queries each holding half the budget and each needing more would wait for each other
// forever. So the budget watches its holders: when every reservation that holds memory is
// waiting, none of them will ever release anything, and the one that started waiting last is
// refused with ErrTooLarge (it then releases what it held, and the others go on). A Grow that
// could never fit, because what the reservation already holds plus the request exceeds the whole
// budget, is refused at once. Reservations that hold memory are served before new ones, so a
// query that is half-way through is not starved by queries that have not started.
//
// A caller may also release a reservation from a cleanup the garbage collector runs once the
// memory is garbage (pkg/loganalytics does, for results nobody releases). So that such memory does
// not stay booked while the process is idle, a reservation that has to wait asks the runtime for
// a collection, at most once a second.
//
// The package is Grafana-free and knows nothing of what the bytes hold: the caller decides what a
// byte of its results costs (pkg/loganalytics documents its per-cell estimate).
package membudget

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// ErrTooLarge says a reservation was refused: it can never fit in the budget, or (ErrGaveWay)
// every holder of the budget was waiting for more and this one was chosen to give way.
var ErrTooLarge = errors.New("the result memory budget is used up")

// ErrGaveWay is the ErrTooLarge of a reservation refused so that the others can go on: it might
// fit when fewer run at once.
var ErrGaveWay = fmt.Errorf("%w: the queries holding it all needed more at once, and this one gave way", ErrTooLarge)

// admitShare: at least 1/admitShare of the budget must be free for a new reservation to start.
// With the typical size below, it bounds how many queries hold part of the budget at once, so
// that a burst of queries does not fill the budget with half-read results that must then give
// way one by one.
const admitShare = 8

// Budget is a limit on bytes shared by reservations. The zero value is not usable: use New. A nil
// *Budget is unlimited: its reservations always grow at once.
type Budget struct {
	limit int64

	mu      sync.Mutex
	used    int64
	holders int       // reservations holding more than zero bytes
	blocked int       // of those, how many are waiting in Grow
	queue   []*waiter // in arrival order
	typical int64     // moving average of what released reservations held at most
	active  map[*Reservation]struct{}
	kicked  time.Time // when a waiter last asked for a garbage collection
}

type waiter struct {
	r     *Reservation
	need  int64
	ready chan error // buffered; receives nil (granted) or ErrTooLarge
}

// New returns a budget of limit bytes; limit must be positive.
func New(limit int64) (*Budget, error) {
	if limit <= 0 {
		return nil, errors.New("membudget: the limit must be a positive number of bytes")
	}
	return &Budget{limit: limit, active: map[*Reservation]struct{}{}}, nil
}

// Limit is the budget's size in bytes (0 for a nil, unlimited budget).
func (b *Budget) Limit() int64 {
	if b == nil {
		return 0
	}
	return b.limit
}

// InUse is the number of bytes reserved now.
func (b *Budget) InUse() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Reserve starts a reservation holding nothing. It is not safe for concurrent use by several
// goroutines (one query decodes in one goroutine); different reservations are.
func (b *Budget) Reserve() *Reservation { return &Reservation{b: b} }

// Reservation is one query's share of a Budget.
type Reservation struct {
	b     *Budget
	held  int64
	peak  int64
	claim int64 // what it was expected to need when it started
}

// Held is the number of bytes the reservation holds.
func (r *Reservation) Held() int64 { return r.held }

// Grow adds n bytes to the reservation, waiting for room if need be. It fails with ErrTooLarge
// (see the package doc) or, when ctx ends first, with ctx's error; either way the reservation
// keeps what it held before, to be given back by Release.
func (r *Reservation) Grow(ctx context.Context, n int64) error {
	if n <= 0 {
		return nil
	}
	b := r.b
	if b == nil {
		r.held += n
		return nil
	}
	b.mu.Lock()
	if r.held+n > b.limit {
		b.mu.Unlock()
		return ErrTooLarge
	}
	if b.fits(r, n) && (r.held > 0 || len(b.queue) == 0) {
		b.take(r, n)
		b.mu.Unlock()
		return nil
	}
	if err := ctx.Err(); err != nil {
		b.mu.Unlock()
		return err
	}
	w := &waiter{r: r, need: n, ready: make(chan error, 1)}
	b.queue = append(b.queue, w)
	if now := time.Now(); now.Sub(b.kicked) > time.Second {
		// Holders may be waiting for the collector (see the package doc): ask it to run.
		b.kicked = now
		go runtime.GC()
	}
	if r.held > 0 {
		b.blocked++
	}
	b.settle()
	b.mu.Unlock()

	select {
	case err := <-w.ready:
		return err
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case err := <-w.ready: // answered just as ctx ended: the answer's accounting stands
			b.mu.Unlock()
			return err
		default:
		}
		b.dequeue(w)
		b.settle()
		b.mu.Unlock()
		return ctx.Err()
	}
}

// Release gives back everything the reservation holds, and tells the budget how much it held at
// most (new reservations start when a typical one fits); it may be called more than once.
func (r *Reservation) Release() {
	if b := r.b; b != nil && r.peak > 0 {
		b.mu.Lock()
		if b.typical == 0 {
			b.typical = r.peak
		} else {
			b.typical += (r.peak - b.typical) / 4
		}
		b.mu.Unlock()
		r.peak = 0
	}
	r.Shrink(r.held)
}

// Shrink gives back n of the bytes the reservation holds (at most what it holds), e.g. a
// decoder's scratch space once the frames are built.
func (r *Reservation) Shrink(n int64) {
	n = min(n, r.held)
	if n <= 0 {
		return
	}
	b := r.b
	if b == nil {
		r.held -= n
		return
	}
	b.mu.Lock()
	b.used -= n
	r.held -= n
	if r.held == 0 {
		b.holders--
		delete(b.active, r)
	}
	b.settle()
	b.mu.Unlock()
}

// fits reports whether r may take n bytes now. A holder needs the room. A newcomer needs room
// for what it is expected to need (its claim: a typical reservation, at least 1/admitShare of the
// budget) beside what every holder holds or was expected to need. b.mu is held.
func (b *Budget) fits(r *Reservation, n int64) bool {
	if r.held > 0 {
		return b.used+n <= b.limit
	}
	claimed := b.claim(n)
	for h := range b.active {
		claimed += max(h.held, h.claim)
	}
	return claimed <= b.limit
}

// claim is what a new reservation asking for n is expected to need. b.mu is held.
func (b *Budget) claim(n int64) int64 {
	return min(max(n, b.limit/admitShare, b.typical), max(n, b.limit))
}

// take books n bytes to r; b.mu is held.
func (b *Budget) take(r *Reservation, n int64) {
	if r.held == 0 {
		b.holders++
		r.claim = b.claim(n)
		b.active[r] = struct{}{}
	}
	r.held += n
	r.peak = max(r.peak, r.held)
	b.used += n
}

// dequeue removes w from the queue; b.mu is held.
func (b *Budget) dequeue(w *waiter) {
	for i, q := range b.queue {
		if q == w {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			if w.r.held > 0 {
				b.blocked--
			}
			return
		}
	}
}

// settle grants what fits (holders first, then newcomers in arrival order, a newcomer that
// does not fit stopping the newcomers behind it) and, when every holder is waiting, refuses the
// holder that waited last. b.mu is held.
func (b *Budget) settle() {
	for {
		granted := false
		for _, holding := range []bool{true, false} {
			if !holding && b.blocked > 0 {
				break // the budget is contended: no new reservation starts until holders are served
			}
			for i := 0; i < len(b.queue); i++ {
				w := b.queue[i]
				if (w.r.held > 0) != holding {
					continue
				}
				if !b.fits(w.r, w.need) {
					if !holding {
						break // keep newcomers in order
					}
					continue
				}
				b.queue = append(b.queue[:i], b.queue[i+1:]...)
				i--
				if holding {
					b.blocked--
				}
				b.take(w.r, w.need)
				w.ready <- nil
				granted = true
			}
		}
		if !granted {
			break
		}
	}
	if b.holders == 0 || b.blocked < b.holders {
		return
	}
	for i := len(b.queue) - 1; i >= 0; i-- {
		if w := b.queue[i]; w.r.held > 0 {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			b.blocked--
			w.ready <- ErrGaveWay
			return
		}
	}
}
