#!/usr/bin/env python3
"""Which crates' code is resident while op1 runs (BENCHMARKS.md, issue 17).

Runs the command, samples /proc/PID/pagemap every DELAY seconds, and at the
moment most of the binary's executable pages are present prints them by the
crate of the symbol each page starts in (from `nm -C`). Needs Linux and a
binary with symbols (the release build has them).

    python3 benches/code-pages.py target/release/op1 0.02 pack ROUND --out /tmp/o -q
"""

import bisect
import collections
import os
import re
import struct
import subprocess
import sys
import time


def symbols(path):
    out = subprocess.run(["nm", "-C", "--defined-only", path], capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    syms.sort()
    return syms


def crate_of(name):
    m = re.match(r"<?([A-Za-z_][A-Za-z0-9_]*)", name)
    return m.group(1) if m else "?"


def sample(pid, binary, syms, addrs):
    segments, base = [], None
    for line in open(f"/proc/{pid}/maps").read().splitlines():
        f = line.split()
        if len(f) >= 6 and f[5] == binary:
            lo, hi = (int(x, 16) for x in f[0].split("-"))
            if base is None:
                base = lo - int(f[2], 16)
            segments.append((lo, hi, f[1]))
    total, crates = collections.Counter(), collections.Counter()
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for lo, hi, perm in segments:
            n = (hi - lo) // 4096
            pagemap.seek(lo // 4096 * 8)
            data = pagemap.read(n * 8)
            # A process that is ending may give a short read.
            for i in range(len(data) // 8):
                if struct.unpack_from("<Q", data, i * 8)[0] >> 63 & 1:
                    total[perm] += 1
                    if "x" in perm:
                        k = bisect.bisect_right(addrs, lo + i * 4096 - base) - 1
                        crates[crate_of(syms[k][1]) if k >= 0 else "?"] += 1
    return total, crates


def main():
    binary, delay, args = os.path.realpath(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    syms = symbols(binary)
    addrs = [a for a, _ in syms]
    p = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = None
    while p.poll() is None:
        try:
            total, crates = sample(p.pid, binary, syms, addrs)
        except OSError:
            break
        if best is None or total["r-xp"] > best[0]["r-xp"]:
            best = (total, crates)
        time.sleep(delay)
    if best is None:
        sys.exit("the command ended before a sample was taken")
    total, crates = best
    print(", ".join(f"{perm} {n * 4 / 1024:.1f} MiB" for perm, n in sorted(total.items())))
    for name, n in crates.most_common(25):
        print(f"{n * 4 / 1024:6.1f} MiB  {name}")


if __name__ == "__main__":
    main()
