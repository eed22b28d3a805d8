package iforest

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortPositionsMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	var scratch []int64
	for _, tc := range []struct {
		len int
		n   int64
	}{{10, 100}, {5000, 300}, {5000, 1 << 16}, {100_000, 1 << 31}, {100_000, 5_000_000_000}, {70_000, MaxCountedRows}} {
		p := make([]int64, tc.len)
		for i := range p {
			p[i] = r.Int64N(tc.n)
		}
		want := slices.Clone(p)
		slices.Sort(want)
		var err error
		if scratch, err = sortPositions(t.Context(), p, tc.n, scratch); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p, want) {
			t.Errorf("%d positions below %d: not sorted like slices.Sort", tc.len, tc.n)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := sortPositions(ctx, make([]int64, 1<<13), 1<<20, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sort: %v", err)
	}
}
