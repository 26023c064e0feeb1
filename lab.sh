#!/usr/bin/env bash
# AISys Lab set-up: installs what is missing (Debian 12 packages), builds, then runs the lab
# (`./lab.sh run`) or the whole test suite (`./lab.sh test`). Safe to run again: it only
# installs missing packages and rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format
  qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6opengl6-dev qt6-qpa-plugins qt6-translations-l10n
  libgl-dev libgl1-mesa-dri libglx-mesa0
  libimgui-dev libstb-dev libtomlplusplus-dev libeigen3-dev
  libgtest-dev libbenchmark-dev librapidcheck-dev
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  fonts-noto-cjk fonts-dejavu-core xvfb xauth poppler-utils
  openmpi-bin libopenmpi-dev
)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "lab.sh: installing ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "lab.sh: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  cmake --preset release >/dev/null
  cmake --build --preset release
}

case "${1:-}" in
  run)
    install_missing
    build
    shift
    exec build/release/bin/aisyslab "$@"
    ;;
  test)
    install_missing
    build
    # GUI tests need a display with OpenGL: Xvfb with Mesa's software renderer.
    exec xvfb-run -a -s "-screen 0 1920x1080x24" ctest --preset release -j2 --timeout 900
    ;;
  bench)
    install_missing
    build
    exec xvfb-run -a -s "-screen 0 1920x1080x24" bash bench/run_all.sh build/release
    ;;
  *)
    echo "usage: ./lab.sh run [aisyslab options] | ./lab.sh test | ./lab.sh bench" >&2
    exit 2
    ;;
esac
