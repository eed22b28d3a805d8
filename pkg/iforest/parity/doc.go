// Package parity checks pkg/iforest against scikit-learn 1.2.1 itself.
//
// parity_test.go generates datasets, runs sklearn_oracle.py under Debian's
// /usr/bin/python3 (python3-sklearn 1.2.1, numpy 1.24) and compares label
// codes, every tree, offset_, predictions, score_samples and
// decision_function with the Go forest. compare.sh times the notebook
// pipeline in scikit-learn against cmd/iforestbench on the same data.
package parity
