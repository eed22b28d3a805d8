#!/usr/bin/env bash
# The editors in a real browser (browser/editors.test.mjs): Debian's Chromium driven by playwright-core on
# a harness page that mounts the real editors with Grafana's dark theme and stubbed resources.
#
#   bash scripts/test-browser.sh                                   # screenshots into browser/out/
#   SCREENSHOTS_DIR=docs/screenshots bash scripts/test-browser.sh  # refresh the committed screenshots
#   CHROMIUM=/path/to/chromium                                     # another Chromium (default /usr/bin/chromium)
#   KQLHUNT_SKIP_APT=1                                             # never apt-get install (then fail without one)
#
# It fails loudly, and never skips, where it cannot run: no Chromium and no way to install it, or the
# icons Grafana serves (the unicons set, fetched from npm with `npm pack`) cannot be fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "${KQLHUNT_SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "FAIL: no Chromium at $CHROMIUM and cannot install it (need apt-get as root): install Debian's chromium or set CHROMIUM" >&2
    exit 1
  fi
fi
"$CHROMIUM" --version

# Grafana serves its icons (the unicons line set) from public/build/img; @grafana/ui does not ship them.
# `npm pack` fetches only the package's tarball (its own dependencies are build tools the icons do not need).
UNICONS_VERSION=4.2.0
icons=browser/.cache/unicons
if [ ! -f "$icons/svg/line/angle-down.svg" ] || [ "$(cat "$icons/VERSION" 2>/dev/null)" != "$UNICONS_VERSION" ]; then
  rm -rf "$icons" && mkdir -p browser/.cache
  tarball=$(cd browser/.cache && npm pack --silent "@iconscout/unicons@$UNICONS_VERSION")
  mkdir -p "$icons" && tar -xzf "browser/.cache/$tarball" -C "$icons" --strip-components=1 package/svg/line
  rm "browser/.cache/$tarball"
  echo "$UNICONS_VERSION" >"$icons/VERSION"
fi

node --test --test-concurrency=1 --test-reporter=spec browser/
