#!/usr/bin/env bash
# Runs SCALE-Sim v2 and `aisyslab systolic` over the same topologies, arrays, dataflows and
# bandwidth modes and prints every mismatch (bench/compare_scalesim.py; see bench/README.md).
# Usage: bench/compare_scalesim.sh SCALESIM_DIR [BUILD] [--quick] [--verbose] [--golden DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ ! -f "$1/scalesim/scale.py" ]; then
  echo "usage: bench/compare_scalesim.sh SCALESIM_DIR [BUILD] [options]" >&2
  echo "  SCALESIM_DIR: a work tree of github.com/scalesim-project/scale-sim-v2" >&2
  echo "  (expected SCALESIM_DIR/scalesim/scale.py)" >&2
  exit 2
fi
scalesim="$1"
shift
build=build/release
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
  build="$1"
  shift
fi
aisyslab="$build/bin/aisyslab"
[ -x "$aisyslab" ] || { echo "compare_scalesim.sh: $aisyslab not built" >&2; exit 2; }

# SCALE-Sim needs numpy and tqdm; Debian's packages are python3-numpy and python3-tqdm.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if ! "$python" -c "import numpy, tqdm" 2>/dev/null; then
  echo "compare_scalesim.sh: $python cannot import numpy and tqdm;" \
       "install Debian's python3-numpy and python3-tqdm" >&2
  exit 2
fi
exec "$python" bench/compare_scalesim.py --scalesim "$scalesim" --aisyslab "$aisyslab" \
  --python "$python" "$@"
