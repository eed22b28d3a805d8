#!/usr/bin/env bash
# Installs the parity oracle (Debian's python3-sklearn 1.2.1 and python3-pandas) when it is missing.
# Meant for .ci/run before `go test ./...`: with CI set, the parity tests fail loudly without it.
set -euo pipefail
if /usr/bin/python3 -c 'import sklearn, pandas, sys; sys.exit(0 if sklearn.__version__.startswith("1.2.") else 1)' 2>/dev/null; then
  echo "parity oracle present: scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
/usr/bin/python3 -c 'import sklearn; print("parity oracle installed: scikit-learn", sklearn.__version__)'
