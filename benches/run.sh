#!/usr/bin/env bash
# Generates the benchmark rounds (once) and runs every benchmark in release.
# Usage: benches/run.sh            (rounds of 300 and 1,000 teams)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${OP1_BENCH_DIR:-target/bench-rounds}"
for n in 300 1000; do
  if [ ! -d "$dir/round-$n" ]; then
    cargo run --release --quiet --example make_round -- --teams "$n" --out "$dir/round-$n" --clean
  fi
done
OP1_BENCH_DIR="$dir" cargo bench --bench read
OP1_BENCH_DIR="$dir" cargo bench --bench model
OP1_BENCH_DIR="$dir" cargo bench --bench pack
