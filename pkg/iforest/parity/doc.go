// Package parity checks pkg/iforest against scikit-learn 1.2.1 itself.
//
// parity_test.go generates datasets in Go, runs sklearn_oracle.py under
// Debian's /usr/bin/python3 (python3-sklearn 1.2.1, numpy 1.24, pandas) and
// compares label codes, every tree (node count, children, features,
// thresholds bit for bit, n_node_samples), max_samples_, warnings, offset_,
// fit_predict labels, score_samples and decision_function (within 1e-12,
// with the rows that are not bit-identical counted and printed as a
// summary). Cases of every sampling regime are run again in canonical order
// against scikit-learn fitted on the frame stably sorted by its columns
// (pandas' sort_values(kind="stable")), and then from their counts, which
// must give the canonical fit's outputs bit for bit. encode_parity_test.go
// checks LabelEncoder on object arrays and numpy's c(n) and 2**x;
// sampler_parity_test.go checks randint and sample_without_replacement over
// populations above 2**31 and 2**32 against numpy and scikit-learn.
//
//	go test ./pkg/iforest/parity/                      # all cases, ~30 s on an idle 2-core machine
//	go test -v -run TestParity ./pkg/iforest/parity/   # with the summary table
//	go test -short ./pkg/iforest/parity/               # a subset that still has every sampling method
//
// Without the oracle the tests are skipped with a loud message, or fail
// when CI is set or KQLHUNT_REQUIRE_SKLEARN=1; install_oracle.sh installs
// it. compare.sh times the notebook pipeline in scikit-learn against
// cmd/iforestbench on the same data (see docs/benchmarks/iforest.md).
// gen_pathlength_table.py regenerates ../pathlength_table.go.
package parity
