#!/usr/bin/env bash
# Runs every benchmark of a build folder and prints their figures (used for the README table).
# Needs a display for the GL benchmarks: ./lab.sh bench wraps it in xvfb-run.
set -euo pipefail
build=${1:-build/release}
echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo || true
glxinfo -B 2>/dev/null | grep -E 'OpenGL renderer' || echo "(glxinfo not installed)"
echo "== startup to first painted frame"; "$build/bin/bench_startup" 7
echo "== headless subcommands"; bash bench/cli_speed.sh "$build" 9
echo "== GL frame time, 20,000 primitives"; "$build/bin/bench_gl_frame"
echo "== tile-binned shading vs one quad per shape (5,500 shapes)"; "$build/bin/bench_tiled_shading"
echo "== export time, 20,000 primitives"; QT_QPA_PLATFORM=offscreen "$build/bin/bench_export"
echo "== engine kernels vs Eigen GEMM, 1 thread"; "$build/bin/bench_engine_kernels"
echo "== engine peak memory vs weights + live set"; "$build/bin/bench_engine_memory"
echo "== whole-model latency vs ONNX Runtime, 1 thread"
if command -v node >/dev/null; then bash bench/compare_ort.sh "$build" 20; else echo "(node not installed: skipped)"; fi
echo "== systolic model, ResNet-18 topology"; "$build/bin/bench_systolic"
echo "== collective simulator, 1,024 and 4,096 ranks"; "$build/bin/bench_collectives"
echo "== graph layout vs dot"
if command -v dot >/dev/null; then DOT_TIMEOUT=120 bash bench/layout_vs_dot.sh "$build" 1000; else echo "(graphviz not installed: skipped)"; fi
echo "== loop nests: 256³ matmul trace through a two-level cache"; "$build/bin/bench_loops"
echo "== loop nests: our cache misses vs cachegrind"
if command -v valgrind >/dev/null && command -v gcc >/dev/null; then bash bench/loops_vs_cachegrind.sh "$build"; else echo "(valgrind or gcc not installed: skipped)"; fi
