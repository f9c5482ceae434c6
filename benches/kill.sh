#!/usr/bin/env bash
# Kills op1 pack at 20 moments while it overwrites an earlier complete pack
# of another round (default: two generated 1,000-team rounds, see
# BENCHMARKS.md), and checks each time that every file is the old or the new
# version (never partial) and what `op1 verify` says. RELIABILITY.md has the
# figures. Usage: A=/tmp/r1k-a B=/tmp/r1k-b benches/kill.sh
set -u
OP1=${OP1:-target/release/op1}
A=${A:-/tmp/r1k-a}; B=${B:-/tmp/r1k-b}; W=${W:-/tmp/op1-kill}
mkdir -p "$W"; OP1=$(realpath "$OP1"); cd "$W"
export SOURCE_DATE_EPOCH=1800000000
rm -rf ref-a ref-b out
$OP1 pack $A --out ref-a -q >/dev/null
$OP1 pack $B --out ref-b -q >/dev/null
$OP1 pack $A --out out -q >/dev/null
hashes() { (cd "$1" && find . -type f ! -name '.op1-lock' ! -name '.op1-*.tmp' -exec sha256sum {} + | sort -k2); }
hashes ref-a > a.txt; hashes ref-b > b.txt
mixed=0; whole=0; partial=0; tmpleft=0
for i in $(seq 1 20); do
  $OP1 pack $B --out out -q >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(( (i * 37) % 100 ))"
  kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  hashes out > now.txt
  # each file's hash must be the old or the new one
  bad=$(python3 -c "
a=dict(l.split()[::-1] for l in open('a.txt')); b=dict(l.split()[::-1] for l in open('b.txt'))
print(sum(1 for l in open('now.txt') if (lambda h,f: a.get(f)!=h and b.get(f)!=h)(*l.split())))")
  partial=$((partial + bad))
  ls out/.op1-*.tmp out/charts/.op1-*.tmp 2>/dev/null | wc -l | awk '{exit !($1>0)}' && tmpleft=$((tmpleft+1))
  if $OP1 verify out >/dev/null; then whole=$((whole+1)); else mixed=$((mixed+1)); fi
done
$OP1 pack $B --out out -q >/dev/null
left=$(ls -a out out/charts | grep -c '\.op1-.*\.tmp')
$OP1 verify out > /dev/null && v=0 || v=1
echo "20 kills: $partial partial files; $mixed folders mixed (verify exit 1), $whole whole (verify exit 0); $tmpleft kills left temporaries; after the next run: $left temporaries, verify exit $v"
