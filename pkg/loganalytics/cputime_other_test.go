//go:build !unix

package loganalytics

import "time"

// cpuTime is not measured here: BenchmarkQuery500k then reports 0 cpu-ms/op.
func cpuTime() time.Duration { return 0 }
