#!/usr/bin/env bash
# Shows that no single cell makes op1's work grow faster than linearly
# (issue 26, item 3; BENCHMARKS.md "One cell"): for each kind of cell, a
# round of two teams whose one cell doubles in size, packed with
# `op1 pack --allow-partial` (a name over the cap is an error: that team is
# left out, as it would be in a real round). Prints wall time, peak memory
# and the bytes written per size.
# Usage: benches/one-cell.sh [OP1_BIN]   (default: target/release/op1)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/op1}"
[ -n "${1:-}" ] || cargo build --release --quiet
cargo build --release --quiet --example make_large
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fields="${OP1_FIELDS:-team org org-levels metric resource assumption commentary paragraph}"
sizes="${OP1_SIZES:-1000 2000 4000 8000 16000 32000}"
echo "| cell | size | wall (s) | peak (MiB) | written (KiB) | exit |"
echo "|---|---|---|---|---|---|"
for field in $fields; do
  for size in $sizes; do
    round="$tmp/$field-$size"
    target/release/examples/make_large --case cell --field "$field" --size "$size" --out "$round"
    set +e
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" pack "$round" --out "$round/out" --allow-partial -q >/dev/null 2>&1
    code=$?
    set -e
    read -r wall kib < <(tail -n 1 "$tmp/time")
    written=$(du -sk "$round/out" 2>/dev/null | cut -f1)
    echo "| $field | $size | $wall | $((kib / 1024)) | ${written:-0} | $code |"
    rm -rf "$round"
  done
done
