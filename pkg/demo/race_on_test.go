//go:build race

package demo_test

// raceEnabled: the race detector makes the 500,000-row case too slow for the test budget.
const raceEnabled = true
