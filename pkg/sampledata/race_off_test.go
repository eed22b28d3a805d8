//go:build !race

package sampledata

const raceEnabled = false
