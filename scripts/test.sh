#!/usr/bin/env bash
# The project's one test command (README.md, "Test"): from a fresh clone on a machine with Go, Node/npm
# and apt, it installs what it needs, builds the frontend and the backend for this machine, and runs
# every test. Cross-platform release builds are a separate command (`go run mage.go -v`, README.md).
#
#   bash scripts/test.sh
#
# Environment:
#   KQLHUNT_SKIP_APT=1      do not apt-get install the oracle (scikit-learn) or the browser (chromium);
#                           the tests that need them then fail, loudly.
#   KQLHUNT_FUZZTIME=10s    also run each fuzz target for this long (default: off; go test below
#                           always replays every committed fuzz corpus).
#   KQLHUNT_CROSS=1         also compile the executable for every platform Grafana runs on.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
step() { printf '\n==> [%4d s] %s\n' "$(( $(date +%s) - started ))" "$*"; }

step "System packages: Debian's scikit-learn 1.2.1 (the forest's oracle) and chromium (the editors' browser suite)"
need=()
/usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null || need+=(python3-sklearn python3-pandas)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v curl >/dev/null || need+=(curl) # the emulator test pastes its banner's curl lines into bash
if [ "${#need[@]}" -gt 0 ] && [ "${KQLHUNT_SKIP_APT:-0}" != 1 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "WARNING: cannot install ${need[*]} (need apt-get as root); the tests that need them will fail"
  fi
fi
/usr/bin/python3 -c 'import sklearn; print("scikit-learn", sklearn.__version__)' || true

step "Go modules, then the backend in the background; the frontend's dependencies (npm ci) meanwhile"
npm ci --no-audit --no-fund --loglevel=error &
npm_pid=$!
go mod download

# The backend (the plugin's build, then every Go test) runs in the background from here on, while
# npm ci finishes and the frontend is built and checked: most frontend steps use one core, the Go
# compiler and the tests use both, and a cold run is mostly Go compilation. Its output is printed
# when it is waited for. The Go tests wait for the frontend's build (dist/, which the integration
# tests check); webpack's clean step keeps the backend's executables. go vet's analyzers run within
# go test; a separate `go vet ./pkg/...` would compile every package and its tests' dependencies
# once more without the race detector.
backend_log=$(mktemp)
frontend_built=$(mktemp -u)
(
  set -e
  # The race detector runs on every package whose own code is concurrent (the glue, the client, the
  # budget, the egress guard, the engine's API, the stand-ins, the commands). It does not run on:
  # the single-threaded data and arithmetic packages, where it would only multiply the run time (the
  # domain's sequential code, the live scikit-learn oracle (python), the Docker files' parsers, the
  # benchmarks (compiled, not run), the demo's 168-hour story); nor on the integration tests, whose
  # subject is the compiled plugin in its own process, which it cannot instrument. The KQL engine and
  # the forest are single-threaded except where the tests named in $racy exercise it (one database
  # shared by concurrent queries; the forest's workers and its cancellation watcher): those run with
  # the race detector, and both packages run whole without it (8x faster). Both sets use the plugin's
  # build tag (the SDK's mage build: arrow_json_stdlib), so the tests exercise the JSON encoder that
  # ships; the set without the race detector also builds as it does (cgo off) and so reuses what mage
  # compiled. The race set's packages are compiled while mage builds the plugin (both fill the cores npm ci
  # leaves idle while it downloads), and the two sets run side by side (the one without the race detector
  # is mostly the python oracle and processes that wait, which fill the cores the race set leaves idle).
  plain="iforest/parity integration anomaly hunt kql iforest querymodel macros settings pivots mtrand sampledata framerows integration/dockerbuild integration/bench" # the long-running first
  racy='^(TestConcurrentExecute|TestSameResultForAnyWorkerCount|TestCountsSameForAnyWorkerCount|TestCancelStopsFitAndScore)$'
  pattern=$(printf '|/pkg/%s$' $plain)
  vet=atomic,bool,buildtags,directive,errorsas,ifaceassert,nilfunc,printf,stringintconv,tests,copylocks,lostcancel,unmarshal,unreachable,unusedresult
  tags=arrow_json_stdlib
  # Test binaries are linked without DWARF (-w): some thirty of them link the SDK and the Azure SDK,
  # and -w cuts each link by about a third; stack traces and race reports keep their files and lines.
  link=-ldflags=-w
  export KQLHUNT_REQUIRE_SKLEARN=1
  race_pkgs=$(go list ./pkg/... | grep -Ev "${pattern:1}")
  go build -race -tags "$tags" $(go list -tags "$tags" -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' $race_pkgs) &
  race_build_pid=$!
  step "Backend: gofmt, build dist/gpx_kqlhunt_linux_amd64 (mage build:linux)"
  unformatted=$(gofmt -l pkg Magefile.go mage.go)
  if [ -n "$unformatted" ]; then echo "not gofmt-ed: $unformatted"; exit 1; fi
  go run mage.go -v build:linux
  if [ "${KQLHUNT_CROSS:-0}" = 1 ]; then
    for p in linux/arm64 linux/arm darwin/amd64 darwin/arm64 windows/amd64; do
      echo "compile for $p"
      CGO_ENABLED=0 GOOS=${p%/*} GOARCH=${p#*/} go build -tags arrow_json_stdlib -o /dev/null ./pkg
    done
  fi
  wait "$race_build_pid"
  while [ ! -e "$frontend_built" ]; do sleep 1; done

  race_log=$(mktemp)
  plain_log=$(mktemp)

  step "Go tests, with and without the race detector, side by side (integration tests drive dist/gpx_kqlhunt_linux_amd64; go vet's checks; fuzz corpora replayed)"
  (
    set -e
    step "Go tests with the race detector"
    go test -race -tags "$tags" "$link" -count=1 -vet="$vet" $race_pkgs
    racy_out=$(go test -race -tags "$tags" "$link" -count=1 -vet=off -v -run "$racy" ./pkg/kql ./pkg/iforest) || { echo "$racy_out"; exit 1; }
    echo "$racy_out" | grep -E '^(ok|FAIL)'
    if [ "$(echo "$racy_out" | grep -c '^--- PASS')" != 4 ]; then echo "the race run of kql and iforest did not run the 4 tests in \$racy (renamed?)"; exit 1; fi
  ) >"$race_log" 2>&1 &
  race_pid=$!
  (
    set -e
    step "Go tests without the race detector: the sequential packages, the integration tests and the demo's story"
    export CGO_ENABLED=0
    go test -tags "$tags" "$link" -count=1 -vet="$vet" -run 'TestWeekAnswersAsTheDemo|TestDemoFlagsIntrusionsEveryHourOfTheWeek|TestStoryHoldsForOtherSeedsAndSizes' ./pkg/demo &
    story_pid=$!
    go test -tags "$tags" "$link" -count=1 -vet="$vet" $(printf './pkg/%s ' $plain)
    wait "$story_pid"
  ) >"$plain_log" 2>&1 &
  plain_pid=$!
  go_status=0
  wait "$race_pid" || go_status=$?
  wait "$plain_pid" || go_status=$?
  cat "$race_log" "$plain_log"
  rm -f "$race_log" "$plain_log"
  exit "$go_status"
) >"$backend_log" 2>&1 &
backend_pid=$!
trap 'kill "$backend_pid" 2>/dev/null || true; rm -f "$frontend_built"' EXIT
echo "the backend's build and Go tests started in the background (their output follows the frontend's)"

wait "$npm_pid"
step "Frontend: production build (dist/, which the integration tests check)"
npm run build
touch "$frontend_built"

step "Frontend: typecheck, lint, format, unit tests"
npm run typecheck
npm run lint
npx prettier --check src
npm run test:ci -- --maxWorkers 2

step "Frontend: the editors in Chromium (scripts/test-browser.sh; installs Debian's chromium as root)"
bash scripts/test-browser.sh

step "Backend: waiting for the build and the Go tests"
status=0
wait "$backend_pid" || status=$?
trap - EXIT
rm -f "$frontend_built"
cat "$backend_log"
if [ "$status" != 0 ]; then echo "FAIL: the backend's build or Go tests (above)"; exit "$status"; fi

if [ -n "${KQLHUNT_FUZZTIME:-}" ]; then
  step "Fuzzing, ${KQLHUNT_FUZZTIME} per target"
  for pkg in $(go list ./pkg/...); do
    dir=$(go list -f '{{.Dir}}' "$pkg")
    for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
      echo "fuzz $pkg $target"
      go test -run='^$' -fuzz="^${target}\$" -fuzztime="$KQLHUNT_FUZZTIME" "$pkg"
    done
  done
fi

step "All tests passed in $(( $(date +%s) - started )) s"
