// Package sampledata makes the demo workspace's data: a deterministic, synthetic Microsoft
// Defender DeviceNetworkEvents table (Generate) with a realistic fleet and a few planted
// intrusions that the hunting notebook's queries and its isolation forest reveal (SCENARIO.md
// tells the story and why the forest finds them at every hour), and a loader that turns JSON
// Lines and CSV files into tables (Load).
//
// Everything is a pure function of Config: the same seed, row count and Now give the same
// table, byte for byte, so tests can compute expected answers independently. The fleet's traffic
// is made hour by hour from the seed and the hour alone, so the tables of two instants share the
// hours both cover (Traffic makes any period of it, Intrusions the planted events at an instant).
package sampledata
