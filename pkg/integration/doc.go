// Package integration holds the end-to-end tests: the compiled plugin (dist/gpx_kqlhunt_<os>_<arch>)
// started by pkg/internal/pluginhost exactly as Grafana starts it, talking over TLS to the Log
// Analytics and Entra ID stand-ins of pkg/emulator through the real azidentity and azquery code.
// Build the plugin first (`go run mage.go -v build:linux`); README.md's test command does.
package integration
