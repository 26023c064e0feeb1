#!/usr/bin/env bash
# L1/LL data misses of our cache simulator vs valgrind's cachegrind on the same loop nests.
#   bash bench/loops_vs_cachegrind.sh [BUILD] [N]          (N: the matmul size, default 256)
# For each case, `aisyslab loops --json` gives our misses and `aisyslab loops --emit-c` the same
# nest as a C program (volatile float arrays in one pool aligned to 2 MiB at our byte offsets,
# so the addresses agree modulo 2 MiB; gcc -O1 keeps every load and store as written).
# cachegrind runs it with the same D1 and LL geometry; only the `kernel` function's counts
# are compared (read from cachegrind's out file), so the loader's and main's accesses do not
# count. cachegrind's D1 misses = D1mr + D1mw; its LL sees D1 misses and I1 misses (the
# kernel's code is a few lines; I1 misses of the kernel are reported beside) but no
# write-backs, so our LL column is demand misses only (write-backs are counted apart).
# A vectorized loop of 4 or 8 lanes whose accesses are uniform or contiguous is emitted as
# SSE/AVX loads and stores (one access each, touching the lines our lanes touch).
# "cg extra" is the data accesses cachegrind saw beyond our trace (a vector access counted
# once): the kernel's stack (loop counters gcc spills); where the arrays fill some sets exactly,
# these few accesses evict array lines and explain the difference. An unaligned vector access
# that straddles two lines is one access for cachegrind, and one miss even when both lines miss
# (our lanes count two).
set -euo pipefail
build=${1:-build/release}
n=${2:-256}
exe="$build/bin/aisyslab"
[ -x "$exe" ] || { echo "loops_vs_cachegrind.sh: no $exe (build the aisyslab target)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "loops_vs_cachegrind.sh: valgrind is not installed" >&2; exit 2; }
command -v gcc >/dev/null || { echo "loops_vs_cachegrind.sh: gcc is not installed" >&2; exit 2; }
command -v python3 >/dev/null || { echo "loops_vs_cachegrind.sh: python3 is needed to read the counts" >&2; exit 2; }
D1=${D1:-32768,8,64}
LL=${LL:-1048576,16,64}
IFS=, read -r d1s d1a d1l <<< "$D1"
IFS=, read -r lls lla lll <<< "$LL"
cache="L1=$d1s:$d1a:$d1l,L2=$lls:$lla:$lll"
dir=$(mktemp -d /tmp/aisys_loops_cg.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# name | op | sizes | schedule
cases=(
  "matmul ijk|matmul|$n,$n,$n|"
  "matmul ikj|matmul|$n,$n,$n|reorder(i,k,j)"
  "matmul tiled 32|matmul|$n,$n,$n|tile(i,j,32,32)"
  "matmul tiled+reordered|matmul|$n,$n,$n|tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i)"
  "matmul tile+vectorize|matmul|$n,$n,$n|tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i);vectorize(j.i,8)"
  "conv NCHW 3x3|conv-nchw|1,16,34,34,16,3,3|"
  "conv NCHW vectorize ow|conv-nchw|1,16,34,34,16,3,3|reorder(n,oc,ic,kh,kw,oh,ow);vectorize(ow,8)"
  "conv NCHW ic-outer|conv-nchw|1,16,34,34,16,3,3|reorder(n,oc,ic,kh,kw,oh,ow)"
  "conv NHWC 3x3|conv-nhwc|1,16,34,34,16,3,3|"
  "blur 3x3|blur3x3|512,512|"
  "blur 3x3 tiled+vectorized|blur3x3|512,512|tile(y,x,32,64);vectorize(x.i,8)"
  "softmax 256x1024|softmax|256,1024|"
  "softmax, j-tiled max, vectors|softmax|256,1024|stage(max);split(j,64);reorder(j.o,i,j.i);stage(exp);vectorize(j,8);stage(div);vectorize(j,8)"
)

echo "D1 = $D1, LL = $LL (size,assoc,line); misses of the kernel only"
printf '%-24s %12s %12s %8s %10s %10s %8s %6s %9s\n' case "ours L1" "cg D1" "diff %" "ours LL" "cg LL" "diff %" "cg I1" "cg extra"
for c in "${cases[@]}"; do
    IFS='|' read -r name op sizes sched <<< "$c"
    "$exe" loops --op "$op" --size "$sizes" --schedule "$sched" --cache "$cache" --json > "$dir/ours.json"
    "$exe" loops --op "$op" --size "$sizes" --schedule "$sched" --emit-c > "$dir/k.c"
    gcc -O1 -o "$dir/k" "$dir/k.c" -lm
    valgrind --tool=cachegrind --cache-sim=yes --D1="$D1" --LL="$LL" --I1=32768,8,64 \
        --cachegrind-out-file="$dir/cg.out" "$dir/k" 2> "$dir/cg.log" || { cat "$dir/cg.log" >&2; exit 1; }
    python3 - "$dir/ours.json" "$dir/cg.out" "$name" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
l1 = ours["cache"][0]["misses"]
ll = ours["cache"][1]["misses"]
# cachegrind's out file: "events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw", then per file
# (fl=) and function (fn=) lines "LINE counts..." — sum the lines of fn=kernel.
events, tot, fn = None, None, None
for line in open(sys.argv[2]):
    line = line.strip()
    if line.startswith("events:"):
        events = line.split()[1:]
        tot = [0] * len(events)
    elif line.startswith("fn="):
        fn = line[3:]
    elif line and line[0].isdigit() and fn == "kernel":
        v = [int(x) for x in line.split()[1:]]
        for i, x in enumerate(v):
            tot[i] += x
e = dict(zip(events, tot))
d1 = e["D1mr"] + e["D1mw"]
dl = e["DLmr"] + e["DLmw"]
pct = lambda a, b: 100.0 * (a - b) / b if b else 0.0
# Data accesses cachegrind saw beyond our trace's loads and stores: the kernel's own stack
# (spilled loop counters, the lane temporaries of a vector group).
# A vector group's access is one access there (lanes of ours).
lanes = ours["cost"]["lanes"]
extra = e["Dr"] + e["Dw"] - (ours["trace"]["loads"] + ours["trace"]["stores"]) // lanes
print("%-24s %12d %12d %+8.2f %10d %10d %+8.2f %6d %9d" % (sys.argv[3], l1, d1, pct(l1, d1), ll, dl, pct(ll, dl), e["I1mr"], extra))
PY
done
