package parity

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/kqlhunt/anomaly-datasource/pkg/mtrand"
)

// TestSamplersAbove2To31MatchNumpy asks numpy and scikit-learn themselves
// for randint(n) and sample_without_replacement over populations above
// 2**31 and 2**32 (counts describing billions of rows), where numpy's
// bounded draw changes: 32-bit masked up to 2**32-1, one raw output at
// 2**32, 64-bit masked draws above.
func TestSamplersAbove2To31MatchNumpy(t *testing.T) {
	requireOracle(t)
	type randintCase struct {
		seed  uint32
		n     int64
		count int
	}
	type sampleCase struct {
		seed     uint32
		n        int64
		k        int
		method   string
		resolved mtrand.Method
	}
	var ris []randintCase
	for _, n := range []int64{1<<31 - 1, 1 << 31, 1<<31 + 1, 3_000_000_000, 1<<32 - 1, 1 << 32, 1<<32 + 1, 1 << 33, 5_000_000_000, 1<<35 + 7} {
		for _, seed := range []uint32{42, 12345} {
			ris = append(ris, randintCase{seed, n, 50})
		}
	}
	var scs []sampleCase
	for _, n := range []int64{1<<31 + 5, 3_000_000_000, 1<<32 + 1, 5_000_000_000, 1 << 35} {
		scs = append(scs, sampleCase{42, n, 256, "auto", mtrand.TrackingSelection}, sampleCase{7, n, 2000, "tracking_selection", mtrand.TrackingSelection})
	}
	var manifest []map[string]any
	for i, c := range ris {
		manifest = append(manifest, map[string]any{"name": fmt.Sprint("randint", i), "kind": "randint", "seed": c.seed, "n": c.n, "count": c.count})
	}
	for i, c := range scs {
		manifest = append(manifest, map[string]any{"name": fmt.Sprint("sample", i), "kind": "sample", "seed": c.seed, "n_population": c.n, "n_samples": c.k, "method": c.method})
	}
	res := runOracle(t, manifest)
	values := func(name string) []int64 {
		var v struct {
			Values []int64 `json:"values"`
		}
		if err := json.Unmarshal(res.Cases[name], &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v.Values
	}
	for i, c := range ris {
		want := values(fmt.Sprint("randint", i))
		r := mtrand.New(c.seed)
		got := make([]int64, c.count)
		for k := range got {
			got[k] = r.Intn(c.n)
		}
		if !slices.Equal(got, want) {
			t.Errorf("RandomState(%d).randint(%d) x %d: Go %v..., numpy %v...", c.seed, c.n, c.count, got[:3], want[:3])
		}
	}
	var s mtrand.Sampler
	for i, c := range scs {
		want := values(fmt.Sprint("sample", i))
		m, err := mtrand.ResolveMethod(c.method, c.n, c.k)
		if err != nil || m != c.resolved {
			t.Fatalf("method %s over %d: %v %v", c.method, c.n, m, err)
		}
		got, err := s.Sample(context.Background(), mtrand.New(c.seed), c.n, c.k, m)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("sample_without_replacement(%d, %d, %s, random_state=%d): Go %v..., scikit-learn %v...", c.n, c.k, c.method, c.seed, got[:3], want[:3])
		}
	}
	t.Logf("%d randint streams and %d samples over populations from 2**31-1 to 2**35+7 equal numpy's and scikit-learn's", len(ris), len(scs))
}
