#!/usr/bin/env bash
# Wall time of the headless subcommands (each loads and runs only what it needs): median and
# minimum of RUNS runs per command. Usage: bash bench/cli_speed.sh [BUILD] [RUNS]
set -euo pipefail
build=${1:-build/release}
runs=${2:-9}
exe="$build/bin/aisyslab"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$out/xdg"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

measure() { # label, command...
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "$label: the command failed: $*" >&2; return 1; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local median min
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  min=$(echo "$sorted" | head -1)
  awk -v l="$label" -v m="$median" -v n="$min" \
    'BEGIN { printf "%-58s median %7.3f s   min %7.3f s\n", l, m / 1e6, n / 1e6 }'
}

echo "aisyslab subcommands, $runs runs each ($(nproc) cores)"
measure "lessons (parse every lesson file, run no Lab)" "$exe" lessons
measure "lessons --check (dry-run every lesson)" "$exe" lessons --check
measure "export --lesson ring-allreduce --step 2 --format svg" \
  "$exe" export --lesson ring-allreduce --step 2 --format svg -o "$out/r.svg"
measure "export --lesson quantization --all-steps --format svg" \
  "$exe" export --lesson quantization --all-steps --format svg -o "$out/q"
measure "export --model tiny_cnn.onnx --format svg" \
  "$exe" export --model assets/models/tiny_cnn.onnx --format svg -o "$out/m.svg"
measure "info tiny_cnn.onnx" "$exe" info assets/models/tiny_cnn.onnx
measure "labs" "$exe" labs
