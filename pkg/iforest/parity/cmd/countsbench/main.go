// Command countsbench measures fitting from rows against fitting from
// counts, the budget MaxSampledRows, and the refusal of issue 7's query,
// and prints the figures of docs/benchmarks/iforest-counts.md with the
// machine they ran on:
//
//	go run ./pkg/iforest/parity/cmd/countsbench            # every case, about a minute
//	go run ./pkg/iforest/parity/cmd/countsbench -case rows5m
//
// Each case runs in its own process (the command starts itself with
// -case), so that each peak RSS is that case's alone. Times are of the
// forest's call only (data already in memory, as the plugin holds a
// decoded answer); peak RSS is getrusage's maxrss of the whole process.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// result is what one case prints.
type result struct {
	Case        string  `json:"case"`
	What        string  `json:"what"`
	Rows        int64   `json:"rows"`
	Distinct    int     `json:"distinct"`
	Seconds     float64 `json:"seconds"`
	CPUSeconds  float64 `json:"cpu_seconds"` // user + system, all threads
	RSSBeforeMB float64 `json:"rss_before_mib"`
	PeakRSSMB   float64 `json:"peak_rss_mib"`
	Flagged     int64   `json:"flagged"`
	Offset      float64 `json:"offset"`
	Hash        string  `json:"hash,omitempty"` // of every row's label and decision bits
	Error       string  `json:"error,omitempty"`
}

var cases = []struct {
	name, what string
	run        func() (result, error)
}{
	{"rows5m-asreturned", "5,000,000 rows, ~300 values, as returned (FitPredictDecision)", func() (result, error) { return rows5m(iforest.DefaultConfig()) }},
	{"rows5m", "the same rows in canonical order (FitPredictDecision)", func() (result, error) { return rows5m(canonical()) }},
	{"counts5m", "the same 5,000,000 rows as counts (FitPredictDecisionCounts)", counts5m},
	{"counts2e9", "counts describing 2,000,000,000 rows over 500 values", counts2e9},
	{"issue7", "issue 7's query: 10,000 trees x maxSamples 1.0 on 100,000 rows of 3 fields", issue7},
	{"budget-auto", "Fit, 10,000 trees x 256 rows (the largest \"auto\" forest) of 1,000,000 distinct float rows", budgetAuto},
	{"budget-64x65536", "Fit, 64 trees x 65,536 rows (the budget) of 1,000,000 distinct float rows", budget64},
	{"budget-1x4M", "Fit, 1 tree of 4,194,304 distinct float rows (the budget)", budget1},
}

func main() {
	only := flag.String("case", "", "run one case in this process and print its JSON")
	flag.Parse()
	if *only != "" {
		for _, c := range cases {
			if c.name == *only {
				r, err := c.run()
				r.Case, r.What = c.name, c.what
				if err != nil {
					r.Error = err.Error()
				}
				json.NewEncoder(os.Stdout).Encode(r)
				return
			}
		}
		fmt.Fprintf(os.Stderr, "countsbench: unknown case %q\n", *only)
		os.Exit(2)
	}
	if err := driver(); err != nil {
		fmt.Fprintln(os.Stderr, "countsbench:", err)
		os.Exit(1)
	}
}

// driver runs every case in a child process and prints the table.
func driver() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("machine: %d cores (nproc), %s, load average %s\n", runtime.NumCPU(), cpuModel(), loadAverage())
	fmt.Printf("go: %s %s/%s\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Println("| case | what | rows | distinct | seconds | CPU seconds | peak RSS MiB (before the call) | flagged rows | offset_ |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	results := map[string]result{}
	for _, c := range cases {
		var out bytes.Buffer
		cmd := exec.Command(self, "-case", c.name)
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("case %s: %w", c.name, err)
		}
		var r result
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			return fmt.Errorf("case %s: %w: %s", c.name, err, out.String())
		}
		results[c.name] = r
		secs := fmt.Sprintf("%.3f", r.Seconds)
		if r.Seconds < 0.01 {
			secs = fmt.Sprintf("%.6f", r.Seconds)
		}
		fmt.Printf("| %s | %s | %d | %d | %s | %.3f | %.0f (%.0f) | %d | %.17g |\n", r.Case, r.What, r.Rows, r.Distinct, secs, r.CPUSeconds, r.PeakRSSMB, r.RSSBeforeMB, r.Flagged, r.Offset)
		if r.Error != "" {
			fmt.Printf("|  | error: %s | | | | | | | |\n", r.Error)
		}
	}
	rows, counts := results["rows5m"], results["counts5m"]
	fmt.Println()
	if rows.Hash == "" || rows.Hash != counts.Hash || rows.Offset != counts.Offset {
		return fmt.Errorf("rows and counts differ: hash %s vs %s, offset %v vs %v", rows.Hash, counts.Hash, rows.Offset, counts.Offset)
	}
	fmt.Printf("rows5m and counts5m: identical labels and decisions for all %d rows (hash %s) and offset_; counts %.0fx faster, %.1fx less peak memory\n",
		rows.Rows, rows.Hash, rows.Seconds/counts.Seconds, rows.PeakRSSMB/counts.PeakRSSMB)
	if results["issue7"].Error == "" {
		return errors.New("issue 7's query was not refused")
	}
	return nil
}

// code is row i's label code: ~300 values with P(v) ~ 1/(v+1), from a hash
// of i, so the rows can be made or counted without holding them.
func code(i int64) int64 {
	h := uint64(i)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	u := float64(h>>11) / (1 << 53)
	return int64(math.Exp(u*math.Log(301))) - 1 // inverse CDF of the continuous 1/(v+1) law on [0, 300)
}

const rows5 = 5_000_000

func canonical() iforest.Config {
	c := iforest.DefaultConfig()
	c.RowOrder = iforest.Canonical
	return c
}

func rows5m(cfg iforest.Config) (result, error) {
	codes := make([]int64, rows5)
	for i := range codes {
		codes[i] = code(int64(i))
	}
	X, err := iforest.MatrixFromCodes(codes)
	if err != nil {
		return result{}, err
	}
	f, err := iforest.New(cfg)
	if err != nil {
		return result{}, err
	}
	r := result{Rows: rows5, RSSBeforeMB: peakRSS()}
	clock := startClock()
	labels, decision, err := f.FitPredictDecision(context.Background(), X)
	r.Seconds, r.CPUSeconds = clock()
	if err != nil {
		return r, err
	}
	r.PeakRSSMB, r.Offset = peakRSS(), f.Offset()
	h := fnv.New64a()
	seen := map[int64]bool{}
	for i, l := range labels {
		seen[codes[i]] = true
		hashRow(h, l, decision[i])
		if l < 0 {
			r.Flagged++
		}
	}
	r.Distinct, r.Hash = len(seen), fmt.Sprintf("%016x", h.Sum64())
	return r, nil
}

func counts5m() (result, error) {
	var counts [300]int64
	for i := int64(0); i < rows5; i++ {
		counts[code(i)]++
	}
	var vectors []float64
	var cs []int64
	for v, c := range counts {
		if c > 0 {
			vectors = append(vectors, float64(v))
			cs = append(cs, c)
		}
	}
	X, err := iforest.NewMatrix(len(cs), 1, vectors)
	if err != nil {
		return result{}, err
	}
	f, err := iforest.New(iforest.DefaultConfig())
	if err != nil {
		return result{}, err
	}
	r := result{Rows: rows5, Distinct: len(cs), RSSBeforeMB: peakRSS()}
	clock := startClock()
	labels, decision, err := f.FitPredictDecisionCounts(context.Background(), X, cs)
	r.Seconds, r.CPUSeconds = clock()
	if err != nil {
		return r, err
	}
	r.PeakRSSMB, r.Offset = peakRSS(), f.Offset()
	at := map[int64]int{}
	for k, v := range vectors {
		at[int64(v)] = k
		if labels[k] < 0 {
			r.Flagged += cs[k]
		}
	}
	// The rows' answers, row by row, to compare with rows5m.
	h := fnv.New64a()
	for i := int64(0); i < rows5; i++ {
		k := at[code(i)]
		hashRow(h, labels[k], decision[k])
	}
	r.Hash = fmt.Sprintf("%016x", h.Sum64())
	return r, nil
}

func counts2e9() (result, error) {
	const total, k = 2_000_000_000, 500
	vectors := make([]float64, k)
	counts := make([]int64, k)
	var sum int64
	weight := 0.0
	for v := range k {
		weight += 1 / float64(v+1)
	}
	for v := range k {
		vectors[v] = float64(v)
		counts[v] = max(1, int64(total/weight/float64(v+1)))
		sum += counts[v]
	}
	counts[0] += total - sum // exactly 2e9 rows
	X, err := iforest.NewMatrix(k, 1, vectors)
	if err != nil {
		return result{}, err
	}
	f, err := iforest.New(iforest.DefaultConfig())
	if err != nil {
		return result{}, err
	}
	r := result{Rows: total, Distinct: k, RSSBeforeMB: peakRSS()}
	clock := startClock()
	labels, _, err := f.FitPredictDecisionCounts(context.Background(), X, counts)
	r.Seconds, r.CPUSeconds = clock()
	if err != nil {
		return r, err
	}
	r.PeakRSSMB, r.Offset = peakRSS(), f.Offset()
	for v, l := range labels {
		if l < 0 {
			r.Flagged += counts[v]
		}
	}
	return r, nil
}

func issue7() (result, error) {
	const n = 100_000
	data := make([]float64, 3*n)
	for i := range data {
		data[i] = float64(code(int64(i)) * int64(1+i%3))
	}
	X, err := iforest.NewMatrix(n, 3, data)
	if err != nil {
		return result{}, err
	}
	c := iforest.DefaultConfig()
	c.NEstimators, c.MaxSamples = 10000, iforest.MaxSamplesFraction(1.0)
	f, err := iforest.New(c)
	if err != nil {
		return result{}, err
	}
	r := result{Rows: n, RSSBeforeMB: peakRSS()}
	clock := startClock()
	_, _, err = f.FitPredictDecision(context.Background(), X)
	r.Seconds, r.CPUSeconds = clock()
	r.PeakRSSMB = peakRSS()
	if !errors.Is(err, iforest.ErrInvalidConfig) {
		return r, fmt.Errorf("want the budget error, got %v", err)
	}
	r.Error = strings.TrimPrefix(err.Error(), iforest.ErrInvalidConfig.Error()+": ")
	return r, nil
}

// floats is n distinct rows of one float feature.
func floats(n int) iforest.Matrix {
	data := make([]float64, n)
	for i := range data {
		data[i] = float64(uint32(uint64(i)*2654435761)) / 1024
	}
	X, _ := iforest.NewMatrix(n, 1, data)
	return X
}

// atBudget grows a forest at the budget's edge with Fit and contamination
// "auto" (no offset to compute, so nothing is scored: the figures are the
// trees' own), on distinct values, which grow the largest trees.
func atBudget(X iforest.Matrix, trees int, ms iforest.MaxSamples) (result, error) {
	c := iforest.DefaultConfig()
	c.NEstimators, c.MaxSamples, c.Contamination = trees, ms, iforest.ContaminationAuto()
	f, err := iforest.New(c)
	if err != nil {
		return result{}, err
	}
	r := result{Rows: int64(X.Rows), Distinct: X.Rows, RSSBeforeMB: peakRSS()}
	clock := startClock()
	err = f.Fit(context.Background(), X)
	r.Seconds, r.CPUSeconds = clock()
	r.PeakRSSMB, r.Offset = peakRSS(), f.Offset()
	return r, err
}

func budgetAuto() (result, error) {
	return atBudget(floats(1_000_000), 10000, iforest.MaxSamplesAuto())
}

func budget64() (result, error) {
	return atBudget(floats(1_000_000), 64, iforest.MaxSamplesCount(65536))
}

func budget1() (result, error) {
	return atBudget(floats(iforest.MaxSampledRows), 1, iforest.MaxSamplesFraction(1))
}

func hashRow(h interface{ Write([]byte) (int, error) }, label int64, decision float64) {
	var b [16]byte
	for j := range 8 {
		b[j] = byte(uint64(label) >> (8 * j))
		b[8+j] = byte(math.Float64bits(decision) >> (8 * j))
	}
	h.Write(b[:])
}

// startClock starts timing; the returned function gives the wall and CPU
// seconds since (CPU is the whole process's, as the machine may be shared).
func startClock() func() (wall, cpu float64) {
	start, cpu0 := time.Now(), cpuSeconds()
	return func() (float64, float64) { return time.Since(start).Seconds(), cpuSeconds() - cpu0 }
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// peakRSS is getrusage(RUSAGE_SELF).ru_maxrss in MiB.
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Maxrss) / 1024
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			if _, v, ok := strings.Cut(line, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return "unknown CPU"
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
