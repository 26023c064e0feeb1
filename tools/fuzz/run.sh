#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang-14 + libfuzzer-14-dev, ASan + UBSan) in build/fuzz and
# runs each one, one after the other, for SECONDS (default 60) with a seed corpus the engine
# writes itself (plus the small models of libonnx-testdata when installed).
# Usage: tools/fuzz/run.sh [SECONDS] [HARNESS...]   (harnesses: onnx_import npy)
# FUZZ_KEEP_GOING=1 keeps fuzzing after a crash (libFuzzer -fork=1 -ignore_crashes=1) to collect
# several findings in one run.
# Crashing inputs land in build/fuzz/findings/HARNESS/; copy them to
# tests/tools/fuzz/regressions/HARNESS/ once fixed (test_fuzz_regressions replays them).
set -uo pipefail
secs=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(onnx_import npy)
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/fuzz"

for tool in clang++-14; do
  command -v "$tool" >/dev/null || {
    echo "run.sh: $tool not found (apt-get install clang-14 libfuzzer-14-dev)" >&2
    exit 2
  }
done
cmake -S "$root/tools/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null || exit 2
nice cmake --build "$build" -j"${JOBS:-1}" || exit 2

"$build/make_fuzz_seeds" "$build/seeds" || exit 2
testdata=/usr/share/libonnx-testdata/data/node
if [ -d "$testdata" ]; then
  # Small backend-test models (below 16 KiB) widen the ONNX corpus.
  find "$testdata" -name model.onnx -size -16k | while read -r m; do
    cp "$m" "$build/seeds/onnx_import/$(basename "$(dirname "$m")").onnx"
  done
fi

status=0
for h in "${harnesses[@]}"; do
  mkdir -p "$build/corpus/$h" "$build/findings/$h"
  echo "== fuzz_$h for ${secs}s (log: $build/fuzz_$h.log)"
  # -rss_limit_mb bounds memory; -timeout flags inputs that hang; one job, niced.
  extra=()
  [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  before=$(find "$build/findings/$h" -type f | wc -l)
  nice "$build/fuzz_$h" "${extra[@]}" "$build/corpus/$h" "$build/seeds/$h" -max_total_time="$secs" \
    -artifact_prefix="$build/findings/$h/" -print_final_stats=1 -rss_limit_mb=2048 \
    -timeout=20 -max_len=65536 >"$build/fuzz_$h.log" 2>&1
  rc=$?
  after=$(find "$build/findings/$h" -type f | wc -l)
  # Totals: the final stats (one process) or the last progress line (-fork mode).
  grep -E "^stat::(number_of_executed_units|new_units_added|peak_rss_mb)" "$build/fuzz_$h.log" ||
    grep -E "^#[0-9]+" "$build/fuzz_$h.log" | tail -1
  if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
    echo "fuzz_$h: FINDINGS ($((after - before)) new inputs in $build/findings/$h/, exit $rc)"
    grep -m3 -E "SUMMARY|terminate called|uncaught" "$build/fuzz_$h.log" || true
    status=1
  else
    echo "fuzz_$h: no crash"
  fi
done
exit $status
