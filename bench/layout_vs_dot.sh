#!/usr/bin/env bash
# Layout speed and edge crossings: our Sugiyama layout vs Graphviz dot on the same graphs.
#   bash bench/layout_vs_dot.sh [BUILD] [MAX_NODES]      (DOT_TIMEOUT=seconds per dot run, 900)
# bench_layout writes seeded DNN-like graphs (dot input) with our layout of each in dot's
# `plain` format and our median time; dot lays out each graph (-Tplain, timed once); one
# counter (bench_layout count) counts the crossings of both layouts the same way.
# dot is only an oracle here: nothing in the app uses it.
set -euo pipefail
build=${1:-build/release}
max=${2:-10000}
command -v dot >/dev/null || { echo "layout_vs_dot.sh: Graphviz 'dot' is not installed" >&2; exit 2; }
[ -x "$build/bin/bench_layout" ] || { echo "layout_vs_dot.sh: no $build/bin/bench_layout (build the bench_layout target)" >&2; exit 2; }
dir=$(mktemp -d /tmp/aisys_layout.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$build/bin/bench_layout" write "$dir" >/dev/null
printf '%-18s %7s %9s %9s %10s %10s %10s %7s\n' graph nodes "ours ms" "(cpu ms)" "dot ms" "ours ×" "dot ×" ratio
for f in "$dir"/*.dot; do
    name=$(basename "$f" .dot)
    nodes=$(grep -c 'width=' "$f")
    [ "${name##*_}" -le "$max" ] || continue
    read -r ours_ms ours_cpu < "$dir/$name.ours.ms"
    ours_x=$("$build/bin/bench_layout" count "$dir/$name.ours.plain")
    t0=$(date +%s%N)
    if ! timeout "${DOT_TIMEOUT:-900}" dot -Tplain "$f" -o "$dir/$name.dot.plain"; then
        printf '%-18s %7d %9.2f %9.2f %10s %10d %10s %7s\n' "$name" "$nodes" "$ours_ms" "$ours_cpu" "> ${DOT_TIMEOUT:-900} s" "$ours_x" "-" "-"
        continue
    fi
    t1=$(date +%s%N)
    dot_ms=$(( (t1 - t0) / 1000000 ))
    dot_x=$("$build/bin/bench_layout" count "$dir/$name.dot.plain")
    ratio=$(awk -v a="$ours_x" -v b="$dot_x" 'BEGIN { if (b == 0) print (a == 0 ? "1.00" : "inf"); else printf "%.2f", a / b }')
    printf '%-18s %7d %9.2f %9.2f %10d %10d %10d %7s\n' "$name" "$nodes" "$ours_ms" "$ours_cpu" "$dot_ms" "$ours_x" "$dot_x" "$ratio"
done
