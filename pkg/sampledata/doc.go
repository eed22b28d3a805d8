// Package sampledata makes the demo workspace's data: a deterministic, synthetic Microsoft
// Defender DeviceNetworkEvents table (Generate) with a realistic fleet and a few planted
// intrusions that the hunting notebook's queries and its isolation forest reveal (SCENARIO.md
// tells the story), and a loader that turns JSON Lines and CSV files into tables (Load).
//
// Everything is a pure function of Config: the same seed, row count and Now give the same
// table, byte for byte, so tests can compute expected answers independently.
package sampledata
