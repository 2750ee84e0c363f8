#!/usr/bin/env bash
# Takes the screenshot of `--format html` that the README shows (docs/html-report.png): the
# page for samples/defective, judged as of 2026-11-23 so that it does not change with the
# day, rendered by headless Chromium in a 1200x1800 window. Rerun it when the page's look
# changes, and commit the PNG:
#
#   scripts/screenshot-html.sh                # writes docs/html-report.png
#   scripts/screenshot-html.sh /tmp/page.png  # or another file
#
# Needs chromium (Debian: apt-get install chromium) and cargo. Nothing is fetched: the page
# is self-contained, and Chromium runs without its background networking.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/html-report.png}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || {
  echo "screenshot-html: no chromium on the PATH; install it with: apt-get install chromium" >&2
  exit 1
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cargo build --quiet --bin tuple-report
code=0
target/debug/tuple-report check --format html --as-of 2026-11-23 samples/defective \
  >"$tmp/page.html" || code=$?
# 1: the defective sample's findings, as expected.
[ "$code" = 1 ] || { echo "screenshot-html: the check exited $code, not 1" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1200,1800 \
  --screenshot="$(realpath -m "$out")" "file://$tmp/page.html" 2>"$tmp/chromium.log" || {
  cat "$tmp/chromium.log" >&2
  echo "screenshot-html: chromium failed" >&2
  exit 1
}
[ -s "$out" ] || { cat "$tmp/chromium.log" >&2; echo "screenshot-html: no $out" >&2; exit 1; }
echo "screenshot-html: wrote $out ($(wc -c <"$out") bytes)"
