#!/usr/bin/env bash
# Presentation mode at 1024×768, 1280×720 and 1920×1080 (each under its own Xvfb screen): how
# much of the space above the narrative the picture fills and how large its text is, over every
# frame of every lesson in both languages. With a folder, also writes contact sheets at 1280×720.
# Usage: bash bench/presentation.sh [BUILD] [CONTACT_SHEET_DIR]
set -euo pipefail
build=${1:-build/release}
sheets=${2:-}
for res in 1024x768 1280x720 1920x1080; do
  extra=()
  if [ -n "$sheets" ] && [ "$res" = 1280x720 ]; then extra=(--contact-sheet "$sheets"); fi
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 ${res}x24" "$build/bin/bench_presentation" "${extra[@]}" 2>&1 \
    | grep -v 'XDG_RUNTIME_DIR'
done
