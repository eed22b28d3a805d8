//go:build mage
// +build mage

// Magefile builds the backend for every platform Grafana runs on. Run it without installing mage:
//
//	go run mage.go -v            # all platforms (BuildAll)
//	go run mage.go -v build:linux
package main

import (
	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

func init() {
	// plugin.json lives at the repository root rather than in src/, so the SDK's build must read it there.
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = "."
		return cfg, nil
	})
}

// Default builds dist/gpx_kqlhunt_<os>_<arch> for linux/amd64, linux/arm64, darwin/amd64, darwin/arm64
// and windows/amd64 (the SDK's BuildAll set).
var Default = build.BuildAll
