package mtrand

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"testing"
)

// numpyStreams mirrors testdata/numpy_streams.json, recorded from numpy and
// scikit-learn by testdata/gen_numpy_streams.py.
type numpyStreams struct {
	Numpy   string `json:"numpy"`
	Sklearn string `json:"sklearn"`
	Cases   struct {
		RawUint32 []struct {
			Seed   uint32   `json:"seed"`
			Values []uint32 `json:"values"`
		} `json:"raw_uint32"`
		RandintMaxint []struct {
			Seed   uint32  `json:"seed"`
			Values []int64 `json:"values"`
		} `json:"randint_maxint"`
		Uniform []struct {
			Seed   uint32   `json:"seed"`
			Values []string `json:"values"`
		} `json:"uniform"`
		RandintScalar []struct {
			Seed   uint32  `json:"seed"`
			N      int64   `json:"n"`
			Values []int64 `json:"values"`
		} `json:"randint_scalar"`
		Permutation []struct {
			Seed   uint32  `json:"seed"`
			N      int     `json:"n"`
			Values []int64 `json:"values"`
		} `json:"permutation"`
		Sample []struct {
			Seed        uint32  `json:"seed"`
			NPopulation int64   `json:"n_population"`
			NSamples    int     `json:"n_samples"`
			Method      string  `json:"method"`
			Values      []int64 `json:"values"`
		} `json:"sample"`
	} `json:"cases"`
}

func loadStreams(t *testing.T) *numpyStreams {
	t.Helper()
	b, err := os.ReadFile("testdata/numpy_streams.json")
	if err != nil {
		t.Fatalf("reading recorded numpy streams: %v", err)
	}
	var s numpyStreams
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("decoding recorded numpy streams: %v", err)
	}
	return &s
}

func TestUint32MatchesNumpy(t *testing.T) {
	s := loadStreams(t)
	if len(s.Cases.RawUint32) == 0 {
		t.Fatal("no raw_uint32 cases recorded")
	}
	for _, c := range s.Cases.RawUint32 {
		r := New(c.Seed)
		for i, want := range c.Values {
			if got := r.Uint32(); got != want {
				t.Fatalf("seed %d: output %d = %d, numpy %d", c.Seed, i, got, want)
			}
		}
	}
}

func TestRandomSampleMatchesNumpyUniform(t *testing.T) {
	s := loadStreams(t)
	if len(s.Cases.Uniform) == 0 {
		t.Fatal("no uniform cases recorded")
	}
	for _, c := range s.Cases.Uniform {
		r := New(c.Seed)
		for i, h := range c.Values {
			want, err := strconv.ParseFloat(h, 64)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.RandomSample(); got != want {
				t.Fatalf("seed %d: uniform draw %d = %x, numpy %s", c.Seed, i, got, h)
			}
		}
	}
}

func TestSkipEqualsDrawing(t *testing.T) {
	for _, k := range []int64{0, 1, 2, 623, 624, 625, 1300, 5000} {
		a, b := New(99), New(99)
		for i := int64(0); i < k; i++ {
			a.Uint32()
		}
		b.Skip(k)
		for i := 0; i < 5; i++ {
			if x, y := a.Uint32(), b.Uint32(); x != y {
				t.Fatalf("after skipping %d: output %d = %d, drawing gives %d", k, i, y, x)
			}
		}
	}
}

func TestSeedResetsState(t *testing.T) {
	r := New(7)
	first := []uint32{r.Uint32(), r.Uint32(), r.Uint32()}
	for i := 0; i < 2000; i++ {
		r.Uint32()
	}
	r.Seed(7)
	again := []uint32{r.Uint32(), r.Uint32(), r.Uint32()}
	if !slices.Equal(first, again) {
		t.Fatalf("reseeding gave %v, first run %v", again, first)
	}
}

func TestRandintMatchesNumpy(t *testing.T) {
	s := loadStreams(t)
	for _, c := range s.Cases.RandintMaxint {
		got := make([]int64, len(c.Values))
		New(c.Seed).IntnInto(got, 1<<31-1)
		if !slices.Equal(got, c.Values) {
			t.Errorf("seed %d randint(2**31-1, size=%d) = %v, numpy %v", c.Seed, len(c.Values), got, c.Values)
		}
	}
	for _, c := range s.Cases.RandintScalar {
		r := New(c.Seed)
		for i, want := range c.Values {
			if got := r.Intn(c.N); got != want {
				t.Errorf("seed %d randint(%d) draw %d = %d, numpy %d", c.Seed, c.N, i, got, want)
				break
			}
		}
	}
}

func TestPermutationMatchesNumpy(t *testing.T) {
	s := loadStreams(t)
	var sampler Sampler
	for _, c := range s.Cases.Permutation {
		// permutation(n)[:n] is the whole permutation.
		got, err := sampler.Sample(context.Background(), New(c.Seed), int64(c.N), c.N, PermutationMethod)
		if err != nil || !slices.Equal(got, c.Values) {
			t.Errorf("seed %d permutation(%d) differs from numpy (%v)", c.Seed, c.N, err)
		}
	}
}

func TestSampleWithoutReplacementMatchesSklearn(t *testing.T) {
	s := loadStreams(t)
	var sampler Sampler // reused across cases on purpose: buffers must not leak state
	for _, c := range s.Cases.Sample {
		m, err := ResolveMethod(c.Method, c.NPopulation, c.NSamples)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sampler.Sample(context.Background(), New(c.Seed), c.NPopulation, c.NSamples, m)
		if err != nil {
			t.Fatalf("%s(%d, %d): %v", c.Method, c.NPopulation, c.NSamples, err)
		}
		if !slices.Equal(got, c.Values) {
			t.Errorf("seed %d %s(%d, %d) = %v..., scikit-learn %v...", c.Seed, c.Method, c.NPopulation, c.NSamples,
				got[:min(5, len(got))], c.Values[:min(5, len(c.Values))])
		}
	}
}

func TestChooseMethodBoundaries(t *testing.T) {
	tests := []struct {
		pop     int64
		samples int
		want    Method
	}{
		{256, 256, ReservoirSampling},
		{257, 256, ReservoirSampling},
		{258, 256, ReservoirSampling},
		{259, 256, PermutationMethod},
		{25599, 256, PermutationMethod},
		{25600, 256, TrackingSelection}, // ratio is exactly float64(0.01): not > 0.01
		{25601, 256, TrackingSelection},
		{4, 1, PermutationMethod},
		{1000, 995, ReservoirSampling},
		{1000, 5, TrackingSelection},
		{0, 0, ReservoirSampling},
		{3_000_000_000, 256, TrackingSelection},
		{30_000, 301, PermutationMethod},
	}
	for _, tt := range tests {
		if got := ChooseMethod(tt.pop, tt.samples); got != tt.want {
			t.Errorf("ChooseMethod(%d, %d) = %v, want %v", tt.pop, tt.samples, got, tt.want)
		}
	}
}

func TestSampleErrors(t *testing.T) {
	tests := []struct {
		name    string
		pop     int64
		samples int
	}{
		{"negative population", -1, 0},
		{"more samples than population", 3, 4},
		{"negative samples", 3, -1},
	}
	for _, tt := range tests {
		if _, err := SampleWithoutReplacement(New(0), tt.pop, tt.samples, Auto); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func BenchmarkPermutation25600(b *testing.B) {
	r := New(42)
	var s Sampler
	for b.Loop() {
		if _, err := s.Sample(context.Background(), r, 25600, 256, PermutationMethod); err != nil {
			b.Fatal(err)
		}
	}
}
