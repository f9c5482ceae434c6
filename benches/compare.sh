#!/usr/bin/env bash
# op1 pack against the floor (calamine read + rust_xlsxwriter write, on all
# cores and on one thread) and the three Python routes (polars + fastexcel;
# pandas + python-calamine; pandas + openpyxl; each writing with xlsxwriter,
# each the fastest honest version we found: benches/peers/consolidate.py), for
# rounds of 50, 1,000 and 10,000 teams. Prints medians, peak memory (the OS's
# maximum resident set, /usr/bin/time) and ratios.
#
#   benches/compare.sh                 # all sizes, 3 runs (1 run for peers at 10,000)
#   OP1_SIZES="50 1000" OP1_RUNS=5 benches/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${OP1_SIZES:-50 1000 10000}"
runs="${OP1_RUNS:-3}"
dir="${OP1_BENCH_DIR:-target/bench-rounds}"
cargo build --release --quiet --bin op1 --example floor --example make_round
venv="$(benches/peers/setup.sh)"
py="$venv/bin/python"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# measure RUNS CMD…: prints "median_seconds peak_kib"; with more than one run,
# after an untimed warm-up (the first run of a fresh build pages the 100 MB
# binary in from disk).
measure() {
  local runs="$1"; shift
  local times=() peak=0
  if [ "$runs" -gt 1 ]; then "$@" >/dev/null 2>&1 || true; fi
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; echo "FAILED: $*" >&2; return 1; }
    read -r t m < "$tmp/time"
    times+=("$t")
    (( m > peak )) && peak=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $peak"
}

printf '%-7s %-34s %10s %10s %12s\n' teams tool "median s" "peak MiB" "vs op1"
for n in $sizes; do
  [ -d "$dir/round-$n" ] || target/release/examples/make_round --teams "$n" --out "$dir/round-$n" --clean >/dev/null
  peer_runs="$runs"; [ "$n" -ge 10000 ] && peer_runs=1
  read -r op1_t op1_m < <(measure "$runs" target/release/op1 pack "$dir/round-$n" --out "$tmp/op1")
  read -r fl_t fl_m < <(measure "$runs" target/release/examples/floor "$dir/round-$n" "$tmp/floor.xlsx")
  read -r f1_t f1_m < <(RAYON_NUM_THREADS=1 measure "$runs" target/release/examples/floor "$dir/round-$n" "$tmp/floor.xlsx")
  read -r pl_t pl_m < <(measure "$peer_runs" "$py" benches/peers/consolidate.py polars "$dir/round-$n" "$tmp/polars.xlsx")
  read -r pc_t pc_m < <(measure "$peer_runs" "$py" benches/peers/consolidate.py pandas-calamine "$dir/round-$n" "$tmp/pandas-calamine.xlsx")
  read -r pd_t pd_m < <(measure "$peer_runs" "$py" benches/peers/consolidate.py pandas "$dir/round-$n" "$tmp/pandas.xlsx")
  for row in "op1 pack (all outputs)|$op1_t|$op1_m" "floor (calamine + rust_xlsxwriter)|$fl_t|$fl_m" \
             "floor, one thread|$f1_t|$f1_m" \
             "polars + fastexcel + xlsxwriter|$pl_t|$pl_m" "pandas + calamine + xlsxwriter|$pc_t|$pc_m" \
             "pandas + openpyxl + xlsxwriter|$pd_t|$pd_m"; do
    IFS='|' read -r name t m <<<"$row"
    printf '%-7s %-34s %10.2f %10.0f %11.1fx\n' "$n" "$name" "$t" "$((m / 1024))" "$(awk -v a="$t" -v b="$op1_t" 'BEGIN {print a / b}')"
  done
done
