#!/usr/bin/env bash
# Graph-optimizer compactness against ONNX Runtime's "extended" level, in one run:
# 1. bench_ort_compare writes the MobileNet-style CNN and the small transformer
#    (engine/models/ of the engine's zoo) as .onnx with seeded inputs to a temporary folder;
# 2. ort_compare/ort_optimize.js has ORT optimize them (optimizedModelFilePath), counts nodes
#    and kernels in ORT's optimized models and in ours after `aisyslab optimize -O3`, and
#    checks the -O3 outputs against the unoptimized run and ORT (1e-4 relative);
# 3. prints a table (exit 1 when ours has more nodes/kernels or an output differs).
# Usage: bench/compare_ort_optimize.sh [BUILD_DIR (default build/release)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
tool="$build/bin/bench_ort_compare"
[ -x "$tool" ] || tool="$build/bench/bench_ort_compare"
app="$build/bin/aisyslab"
[ -x "$app" ] || app="$build/app/aisyslab"
for t in "$tool" "$app"; do
  [ -x "$t" ] || { echo "compare_ort_optimize.sh: build bench_ort_compare and aisyslab in $build first" >&2; exit 2; }
done
command -v node >/dev/null || { echo "compare_ort_optimize.sh: node (nodejs, npm) is needed" >&2; exit 2; }
if [ ! -d "$root/bench/ort_compare/node_modules/onnxruntime-node" ]; then
  (cd "$root/bench/ort_compare" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund)
fi
dir=$(mktemp -d -t aisys-ortopt-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$tool" write "$dir" >/dev/null
node "$root/bench/ort_compare/ort_optimize.js" "$app" "$dir" mobilenet_style small_transformer
