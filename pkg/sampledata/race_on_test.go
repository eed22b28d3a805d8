//go:build race

package sampledata

// raceEnabled: the race detector makes the 500,000-row cases too slow for the test budget.
const raceEnabled = true
