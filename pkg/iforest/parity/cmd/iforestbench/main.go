// Command iforestbench times the hunting notebook's pipeline in Go on data
// written by ../../compare.py, which times scikit-learn on the same data.
//
//	iforestbench -kind labels -in values.txt -labels-out go_labels.bin -decision-out go_decision.bin
//	iforestbench -kind floats -cols 4 -in rows.f64 ...
//
// It prints one JSON object: seconds of the first run and the median of
// -repeat runs (encoding + fit_predict + decision_function, data already
// in memory as the notebook's DataFrame is), and peak RSS.
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

func main() {
	kind := flag.String("kind", "labels", "labels (one string per line) or floats (little-endian float64, -cols per row)")
	in := flag.String("in", "", "input file")
	cols := flag.Int("cols", 1, "features per row for -kind floats")
	repeat := flag.Int("repeat", 5, "timed runs")
	labelsOut := flag.String("labels-out", "", "write the -1/1 labels as int8 here")
	decisionOut := flag.String("decision-out", "", "write decision_function as float64 here")
	flag.Parse()
	if err := run(*kind, *in, *cols, *repeat, *labelsOut, *decisionOut); err != nil {
		fmt.Fprintln(os.Stderr, "iforestbench:", err)
		os.Exit(1)
	}
}

func run(kind, in string, cols, repeat int, labelsOut, decisionOut string) error {
	var pipeline func() ([]int64, []float64, error)
	switch kind {
	case "labels":
		values, err := readLines(in)
		if err != nil {
			return err
		}
		pipeline = func() ([]int64, []float64, error) {
			codes, _ := iforest.LabelEncodeStrings(values, nil)
			X, err := iforest.MatrixFromCodes(codes)
			if err != nil {
				return nil, nil, err
			}
			return fitPredictDecision(X)
		}
	case "floats":
		data, err := readFloats(in)
		if err != nil {
			return err
		}
		X, err := iforest.NewMatrix(len(data)/cols, cols, data)
		if err != nil {
			return err
		}
		pipeline = func() ([]int64, []float64, error) { return fitPredictDecision(X) }
	default:
		return fmt.Errorf("unknown -kind %q", kind)
	}
	rssBefore := maxRSSKB()
	var times []float64
	var labels []int64
	var decision []float64
	for i := 0; i < max(1, repeat); i++ {
		start := time.Now()
		l, d, err := pipeline()
		if err != nil {
			return err
		}
		times = append(times, time.Since(start).Seconds())
		labels, decision = l, d
	}
	first := times[0]
	slices.Sort(times)
	flagged := 0
	for _, l := range labels {
		if l == -1 {
			flagged++
		}
	}
	if err := writeOutputs(labels, decision, labelsOut, decisionOut); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"seconds_first":  first,
		"seconds_median": times[len(times)/2],
		"runs":           len(times),
		"rows":           len(labels),
		"flagged":        flagged,
		"rss_before_kb":  rssBefore,
		"peak_rss_kb":    maxRSSKB(),
	})
}

// fitPredictDecision is the notebook's fit_predict then decision_function
// with its IsolationForest(n_estimators=100, contamination=0.01,
// random_state=42).
func fitPredictDecision(X iforest.Matrix) ([]int64, []float64, error) {
	f, err := iforest.New(iforest.DefaultConfig())
	if err != nil {
		return nil, nil, err
	}
	return f.FitPredictDecision(context.Background(), X)
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSuffix(string(b), "\n")
	out := make([]string, 0, strings.Count(s, "\n")+1)
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}

func readFloats(path string) ([]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("%s: %d bytes is not a float64 array", path, len(b))
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out, nil
}

func writeOutputs(labels []int64, decision []float64, labelsOut, decisionOut string) error {
	if labelsOut != "" {
		b := make([]byte, len(labels))
		for i, l := range labels {
			b[i] = byte(int8(l))
		}
		if err := os.WriteFile(labelsOut, b, 0o644); err != nil {
			return err
		}
	}
	if decisionOut != "" {
		b := make([]byte, 8*len(decision))
		for i, d := range decision {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(d))
		}
		if err := os.WriteFile(decisionOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// maxRSSKB is getrusage(RUSAGE_SELF).ru_maxrss, in KiB on Linux, the same
// figure compare.py reads for the Python side.
func maxRSSKB() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Maxrss
}
