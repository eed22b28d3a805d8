package membudget

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func newBudget(t *testing.T, limit int64) *Budget {
	t.Helper()
	b, err := New(limit)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitQueued waits until n reservations are waiting in Grow.
func waitQueued(t *testing.T, b *Budget, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b.mu.Lock()
		q := len(b.queue)
		b.mu.Unlock()
		if q == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d waiting, want %d", q, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestNewRefusesNonPositive(t *testing.T) {
	for _, n := range []int64{0, -1} {
		if _, err := New(n); err == nil {
			t.Errorf("New(%d) accepted", n)
		}
	}
}

func TestAccountingIsExact(t *testing.T) {
	b := newBudget(t, 100)
	r1, r2 := b.Reserve(), b.Reserve()
	steps := []struct {
		do         func() error
		used, h1   int64
		wantErrStr string
	}{
		{func() error { return r1.Grow(t.Context(), 30) }, 30, 30, ""},
		{func() error { return r2.Grow(t.Context(), 50) }, 80, 30, ""},
		{func() error { return r1.Grow(t.Context(), 0) }, 80, 30, ""},
		{func() error { return r1.Grow(t.Context(), -5) }, 80, 30, ""},
		{func() error { r1.Shrink(10); return nil }, 70, 20, ""},
		{func() error { r1.Shrink(1000); return nil }, 50, 0, ""},
		{func() error { return r1.Grow(t.Context(), 101) }, 50, 0, ErrTooLarge.Error()},
		{func() error { r2.Release(); r2.Release(); return nil }, 0, 0, ""},
	}
	for i, s := range steps {
		err := s.do()
		if (err == nil) != (s.wantErrStr == "") || (err != nil && err.Error() != s.wantErrStr) {
			t.Fatalf("step %d: err %v, want %q", i, err, s.wantErrStr)
		}
		if got := b.InUse(); got != s.used {
			t.Fatalf("step %d: in use %d, want %d", i, got, s.used)
		}
		if r1.Held() != s.h1 {
			t.Fatalf("step %d: r1 holds %d, want %d", i, r1.Held(), s.h1)
		}
	}
	if b.holders != 0 || b.blocked != 0 || len(b.queue) != 0 {
		t.Errorf("left holders %d blocked %d queue %d", b.holders, b.blocked, len(b.queue))
	}
}

func TestNeverFitsFailsAtOnce(t *testing.T) {
	b := newBudget(t, 100)
	r := b.Reserve()
	if err := r.Grow(t.Context(), 60); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := r.Grow(t.Context(), 41); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err %v, want ErrTooLarge", err)
	}
	if time.Since(start) > time.Second {
		t.Error("a request that can never fit waited")
	}
	if r.Held() != 60 {
		t.Errorf("a refused Grow changed the holding to %d", r.Held())
	}
}

func TestNilBudgetIsUnlimited(t *testing.T) {
	var b *Budget
	r := b.Reserve()
	if err := r.Grow(t.Context(), 1<<50); err != nil || r.Held() != 1<<50 {
		t.Fatalf("err %v held %d", err, r.Held())
	}
	r.Release()
	if r.Held() != 0 || b.InUse() != 0 || b.Limit() != 0 {
		t.Error("nil budget kept something")
	}
}

func TestWaiterGetsRoomWhenReleased(t *testing.T) {
	b := newBudget(t, 100)
	a, c := b.Reserve(), b.Reserve()
	if err := a.Grow(t.Context(), 80); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Grow(context.Background(), 50) }()
	waitQueued(t, b, 1)
	select {
	case err := <-done:
		t.Fatalf("granted while the budget was full: %v", err)
	default:
	}
	a.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if b.InUse() != 50 || c.Held() != 50 {
		t.Errorf("in use %d, c holds %d", b.InUse(), c.Held())
	}
}

func TestWaitHonoursContext(t *testing.T) {
	b := newBudget(t, 100)
	a, c := b.Reserve(), b.Reserve()
	if err := a.Grow(t.Context(), 100); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := c.Grow(ctx, 10); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the context's deadline", err)
	}
	if len(b.queue) != 0 || c.Held() != 0 || b.InUse() != 100 {
		t.Errorf("queue %d, c holds %d, in use %d", len(b.queue), c.Held(), b.InUse())
	}
	cctx, ccancel := context.WithCancel(t.Context())
	ccancel()
	if err := c.Grow(cctx, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("an ended context must not wait: %v", err)
	}
}

// Two holders each need more than is left: the one that waited last gives way, and the other
// finishes once it has released.
func TestNoDeadlockBetweenHolders(t *testing.T) {
	b := newBudget(t, 100)
	a, c := b.Reserve(), b.Reserve()
	if err := a.Grow(t.Context(), 40); err != nil {
		t.Fatal(err)
	}
	if err := c.Grow(t.Context(), 40); err != nil {
		t.Fatal(err)
	}
	aDone := make(chan error, 1)
	go func() { aDone <- a.Grow(context.Background(), 30) }()
	waitQueued(t, b, 1)
	// c now waits too: every holder would be waiting, so c (the last) is refused at once.
	if err := c.Grow(context.Background(), 30); !errors.Is(err, ErrGaveWay) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("c: %v, want ErrGaveWay", err)
	}
	select {
	case err := <-aDone:
		t.Fatalf("a granted before c released: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	c.Release()
	if err := <-aDone; err != nil {
		t.Fatalf("a: %v", err)
	}
	if a.Held() != 70 || b.InUse() != 70 {
		t.Errorf("a holds %d, in use %d", a.Held(), b.InUse())
	}
}

// Holders are served before newcomers, so a half-done query is not starved.
func TestHoldersBeforeNewcomers(t *testing.T) {
	b := newBudget(t, 100)
	a, run, late := b.Reserve(), b.Reserve(), b.Reserve()
	if err := a.Grow(t.Context(), 10); err != nil {
		t.Fatal(err)
	}
	if err := run.Grow(t.Context(), 85); err != nil {
		t.Fatal(err)
	}
	lateDone := make(chan error, 1)
	go func() { lateDone <- late.Grow(context.Background(), 60) }()
	waitQueued(t, b, 1)
	aDone := make(chan error, 1)
	go func() { aDone <- a.Grow(context.Background(), 50) }()
	waitQueued(t, b, 2)
	run.Release() // 90 free: a's 50 first; late's 60 no longer fits
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-lateDone:
		t.Fatalf("late granted ahead of room: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	a.Release()
	if err := <-lateDone; err != nil {
		t.Fatal(err)
	}
}

// A new reservation starts only while an eighth of the budget is free; holders go on meanwhile.
func TestNewcomersWaitForAnEighthFree(t *testing.T) {
	b := newBudget(t, 800)
	a, late := b.Reserve(), b.Reserve()
	for _, n := range []int64{50, 700} {
		if err := a.Grow(t.Context(), n); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- late.Grow(context.Background(), 10) }() // 50 free: less than 100
	waitQueued(t, b, 1)
	if err := a.Grow(t.Context(), 40); err != nil { // a holder still takes what is free
		t.Fatal(err)
	}
	a.Shrink(100) // 110 free: late starts
	if err := <-done; err != nil || late.Held() != 10 {
		t.Fatalf("late: %v, holds %d", err, late.Held())
	}
}

// A new reservation starts when there is room for a typical one, judged by those released.
func TestNewcomersNeedRoomForATypicalResult(t *testing.T) {
	b := newBudget(t, 1000)
	first := b.Reserve()
	if err := first.Grow(t.Context(), 400); err != nil {
		t.Fatal(err)
	}
	first.Release() // typical: 400
	h := b.Reserve()
	for _, n := range []int64{10, 540} {
		if err := h.Grow(t.Context(), n); err != nil {
			t.Fatal(err)
		}
	}
	second := b.Reserve()
	if err := second.Grow(t.Context(), 10); err != nil { // 550 + 400 fits
		t.Fatal(err)
	}
	third := b.Reserve()
	done := make(chan error, 1)
	go func() { done <- third.Grow(context.Background(), 10) }() // 550 + 400 + 400 does not
	waitQueued(t, b, 1)
	if b.InUse() != 560 {
		t.Fatalf("in use %d", b.InUse())
	}
	h.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Many queries grow in chunks at once, needing together far more than the budget: every one ends
// (granted in full, or ErrGaveWay when all holders were stuck), the budget is never exceeded but
// is used (peak at least half), and it is empty at the end.
func TestConcurrentQueriesNeverExceedOrDeadlock(t *testing.T) {
	const limit = 1000
	b := newBudget(t, limit)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var peak int64
	outcomes := map[string]int{}
	for q := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := b.Reserve()
			defer r.Release()
			need := int64(100 + 37*q%500)
			for r.Held() < need {
				if err := r.Grow(context.Background(), 25); err != nil {
					outcome := err.Error()
					if errors.Is(err, ErrGaveWay) {
						outcome = "gave way"
					}
					mu.Lock()
					outcomes[outcome]++
					mu.Unlock()
					return
				}
				if u := b.InUse(); u > limit {
					t.Errorf("in use %d above the limit", u)
				}
				mu.Lock()
				peak = max(peak, b.InUse())
				mu.Unlock()
				time.Sleep(100 * time.Microsecond) // decoding the chunk: lets the others interleave
			}
			mu.Lock()
			outcomes["ok"]++
			mu.Unlock()
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("deadlock: queries still waiting after 20s")
	}
	total := 0
	for k, n := range outcomes {
		if k != "ok" && k != "gave way" {
			t.Errorf("unexpected outcome %q", k)
		}
		total += n
	}
	if total != 40 || outcomes["ok"] == 0 || peak < limit/2 {
		t.Errorf("outcomes %v", outcomes)
	}
	if b.InUse() != 0 || b.holders != 0 || b.blocked != 0 || len(b.queue) != 0 {
		t.Errorf("budget not empty: used %d holders %d blocked %d queue %d", b.InUse(), b.holders, b.blocked, len(b.queue))
	}
	t.Logf("outcomes %v, peak %d of %d", outcomes, peak, limit)
}
