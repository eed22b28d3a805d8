#!/usr/bin/env bash
# Times scikit-learn's notebook pipeline against pkg/iforest on the same data (see compare.py).
# Usage: pkg/iforest/parity/compare.sh [--quick]
# Needs Debian's python3-sklearn 1.2.1 and python3-pandas under /usr/bin/python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(mktemp -d)/iforestbench"
(cd "$here" && go build -o "$bin" ./cmd/iforestbench)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "go: $(go version | cut -d' ' -f3-4)"
/usr/bin/python3 -c 'import sklearn, numpy, pandas, sys; print("python", sys.version.split()[0], "scikit-learn", sklearn.__version__, "numpy", numpy.__version__, "pandas", pandas.__version__)'
/usr/bin/python3 "$here/compare.py" --go-bin "$bin" "$@"
