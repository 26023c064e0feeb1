#!/usr/bin/env bash
# Whole-model latency of the engine against ONNX Runtime, single-threaded, in one run:
# 1. bench_ort_compare writes a MobileNet-style CNN and a small transformer as .onnx (our
#    exporter) with seeded inputs to a temporary folder;
# 2. ONNX Runtime (onnxruntime-node, npm-installed into bench/ort_compare) runs them and records
#    its median latency and outputs;
# 3. bench_ort_compare imports the same files, times the interpreter, checks the outputs
#    (1e-4 · max(1, |ref|)) and prints the ratio.
# Usage: bench/compare_ort.sh [BUILD_DIR (default build/release)] [RUNS (default 20)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
runs=${2:-20}
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
node "$root/bench/ort_compare/run_ort.js" "$dir" "$runs" mobilenet_style small_transformer
"$tool" compare "$dir" "$runs"
