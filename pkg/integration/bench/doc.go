// Package bench measures the plugin end to end, as Grafana drives it: the compiled
// dist/gpx_kqlhunt_linux_amd64 started by pkg/internal/pluginhost, signing in to a TLS Entra ID
// stand-in and querying a TLS Log Analytics stand-in that answers 500,000 rows of the notebook's
// projection (7 columns). BenchmarkNotebookAnswer prints, in one run, the plugin's time per query
// and peak RSS for a kql query, an anomaly count and an anomaly scoring of every row, next to the
// notebook's own pipeline on the same JSON (pandas + LabelEncoder + IsolationForest fit_predict +
// decision_function, run by /usr/bin/python3), with the ratios. It only runs when asked:
//
//	go run mage.go -v build:linux && go test ./pkg/integration/bench -run '^$' -bench . -benchtime 5x -timeout 30m
//
// The figures and how to read them are in docs/benchmarks/decode.md.
package bench
