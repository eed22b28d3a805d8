package membudget

import (
	"math"
	"runtime/debug"
)

// ProcessOverhead is what the plugin holds besides decoded results, at most: the runtime, the demo
// workspace's table and its engine's working memory, scoring, and responses being encoded
// (docs/benchmarks/load.md measures it).
const ProcessOverhead = 512 << 20

// SetSoftLimit sets the Go runtime's soft memory limit to the budget plus ProcessOverhead, unless
// the admin set GOMEMLIMIT (lookup reads the environment): near it the collector runs more often,
// so the garbage of finished queries does not lift the process's memory far past what it holds.
// It is a soft limit: nothing fails at it.
func SetSoftLimit(b *Budget, lookup func(string) (string, bool)) {
	if _, set := lookup("GOMEMLIMIT"); set || b == nil {
		return
	}
	if b.Limit() > math.MaxInt64-ProcessOverhead {
		return
	}
	debug.SetMemoryLimit(b.Limit() + ProcessOverhead)
}
