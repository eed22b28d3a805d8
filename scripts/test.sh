#!/usr/bin/env bash
# The project's one test command (README.md, "Test"): from a fresh clone on a machine with Go, Node/npm
# and apt, it installs what it needs, builds the frontend and the backend, and runs every test.
#
#   bash scripts/test.sh
#
# Environment:
#   KQLHUNT_SKIP_APT=1      do not apt-get install scikit-learn (the forest's parity oracle); the parity
#                           tests then fail under CI and say so loudly elsewhere.
#                           Nor Chromium for the browser suite, which then fails if none is installed.
#   KQLHUNT_FUZZTIME=5s     how long each fuzz target runs (default 5s).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
step() { printf '\n==> [%4d s] %s\n' "$(( $(date +%s) - started ))" "$*"; }

step "Python oracle for the isolation forest (Debian's scikit-learn 1.2.1)"
if [ "${KQLHUNT_SKIP_APT:-0}" != 1 ] && ! /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
  else
    echo "WARNING: cannot install python3-sklearn (need apt-get as root); forest parity tests will not pass under CI"
  fi
fi
/usr/bin/python3 -c 'import sklearn; print("scikit-learn", sklearn.__version__)' || true

step "Frontend dependencies (npm ci)"
npm ci --no-audit --no-fund --loglevel=error

step "Go modules"
go mod download
go mod verify

step "Frontend: typecheck, lint, unit tests, production build"
npm run typecheck
npm run lint
npx prettier --check src
npm run test:ci -- --maxWorkers 2
npm run build

step "Frontend: the editors in Chromium (scripts/test-browser.sh; installs Debian's chromium as root)"
bash scripts/test-browser.sh

step "Backend: gofmt, vet and build for every platform (mage)"
unformatted=$(gofmt -l pkg Magefile.go mage.go)
if [ -n "$unformatted" ]; then echo "not gofmt-ed: $unformatted"; exit 1; fi
go vet ./pkg/...
go run mage.go -v

step "Go tests (race detector), integration tests against dist/gpx_kqlhunt_linux_amd64 included"
export KQLHUNT_REQUIRE_SKLEARN=1
go test -race -count=1 ./pkg/...

step "Fuzzing (short runs; the corpus is replayed by go test above)"
fuzztime="${KQLHUNT_FUZZTIME:-5s}"
for pkg in $(go list ./pkg/...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg"
  done
done

step "All tests passed in $(( $(date +%s) - started )) s"
