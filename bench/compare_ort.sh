#!/usr/bin/env bash
# Whole-model latency of the engine against ONNX Runtime, single-threaded, in one run:
# 1. bench_ort_compare writes a MobileNet-style CNN and a small transformer as .onnx (our
#    exporter) with seeded inputs to a temporary folder;
# 2. ONNX Runtime (onnxruntime-node, npm-installed into bench/ort_compare) runs them and records
#    its median latency and outputs;
# 3. bench_ort_compare imports the same files, times the interpreter, checks the outputs
#    (1e-4 · max(1, |ref|)) and prints the ratio.
# Steps 2 and 3 alternate for ROUNDS rounds, so a slow spell of a shared (virtual) machine hits
# both sides alike; the last table gives each model's median ratio over the rounds.
# Usage: bench/compare_ort.sh [BUILD_DIR (default build/release)] [RUNS (default 20)]
#                             [ROUNDS (default 5)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
runs=${2:-20}
rounds=${3:-5}
tool="$build/bin/bench_ort_compare"
[ -x "$tool" ] || tool="$build/bench/bench_ort_compare"
[ -x "$tool" ] || { echo "compare_ort.sh: build bench_ort_compare in $build first" >&2; exit 2; }
command -v node >/dev/null || { echo "compare_ort.sh: node (nodejs, npm) is needed" >&2; exit 2; }
if [ ! -d "$root/bench/ort_compare/node_modules/onnxruntime-node" ]; then
  (cd "$root/bench/ort_compare" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund)
fi
dir=$(mktemp -d -t aisys-ort-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$tool" write "$dir"
status=0
for ((r = 1; r <= rounds; ++r)); do
  echo "== round $r of $rounds"
  node "$root/bench/ort_compare/run_ort.js" "$dir" "$runs" mobilenet_style small_transformer
  "$tool" compare "$dir" "$runs" | tee "$dir/round$r.txt" || status=1
done
echo "== median over $rounds rounds (engine -O3 ms, ORT ms, ratio)"
cat "$dir"/round*.txt | awk '
  $NF == "match" || $NF == "MISMATCH" { o3[$1] = o3[$1] " " $3; ort[$1] = ort[$1] " " $4;
                                         ratio[$1] = ratio[$1] " " $5 + 0 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ");
    for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END { for (m in ratio) printf "%-18s %10.3f %10.3f %7.2fx   (rounds:%s)\n", m, median(o3[m]), median(ort[m]), median(ratio[m]), ratio[m] }'
exit $status
