#!/usr/bin/env bash
# The test command: installs what the tests need and is missing, then runs the whole
# suite (unit, integration and headless-Chromium browser tests) with `mvn -B verify`.
# Only the ordinary package clients are used: apt-get for Debian's chromium and
# chromium-driver (one source package, so their versions always match), Maven for the rest.
# Usage: bash scripts/test.sh [extra mvn arguments, e.g. -o or -Dtest=SomeTest]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v python3 >/dev/null || need+=(python3)  # the Python ingest client is tested against a real server
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "test.sh: installing ${need[*]} (apt-get)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# One BLAS thread per trainer: as fast on a small machine, and it leaves a core for the server.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec mvn -B verify "$@"
