#!/usr/bin/env bash
# Runs the whole test suite (`mvn -B verify`) N times in a row and reports each run:
# pass/fail, its time and the names of the tests that failed; then a summary.
# A suite that never flakes passes every run, also on a loaded machine: --spin keeps
# one core busy with a spin loop for the whole check (as a second job on a 2-core box would).
#
# Usage: bash scripts/flake-check.sh N [--spin] [-- extra mvn args, e.g. -o]
# Logs: target/flake-check/run-K.log (one per run). Exit status: 0 when every run passed.
set -uo pipefail
cd "$(dirname "$0")/.."

N="${1:?usage: flake-check.sh N [--spin] [-- mvn args]}"
shift
SPIN=0
if [ "${1:-}" = "--spin" ]; then SPIN=1; shift; fi
[ "${1:-}" = "--" ] && shift
MVN_ARGS=("$@")

LOGS=target/flake-check
mkdir -p "$LOGS"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

spin_pid=""
if [ "$SPIN" = 1 ]; then
  ( while :; do :; done ) &
  spin_pid=$!
  echo "flake-check: spin loop on one core (pid $spin_pid)"
fi
stop_spin() { [ -n "$spin_pid" ] && kill "$spin_pid" 2>/dev/null; }
trap stop_spin EXIT

passed=0
failed_runs=()
for k in $(seq 1 "$N"); do
  log="$LOGS/run-$k.log"
  start=$(date +%s)
  mvn -B verify "${MVN_ARGS[@]}" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  # surefire marks each failing test "<name> -- Time elapsed: ... <<< FAILURE!" (or ERROR!)
  names=$(grep -E '<<< (FAILURE|ERROR)!' "$log" | grep -v 'Tests run:' \
          | sed -E 's/^\[ERROR\] +//; s/ +(--|Time elapsed).*//' | sort -u | tr '\n' ' ')
  tests=$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, ' "$log" | tail -1 | sed -E 's/^\[[A-Z]+\] //')
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "run $k/$N: PASS in ${secs}s ($tests)"
  else
    failed_runs+=("$k")
    echo "run $k/$N: FAIL in ${secs}s (exit $rc; $tests) failing: ${names:-see $log}"
  fi
done

echo "flake-check: $passed of $N runs passed$([ "$SPIN" = 1 ] && echo ' (one core kept busy)')"
[ ${#failed_runs[@]} -gt 0 ] && echo "flake-check: failed runs: ${failed_runs[*]} (logs in $LOGS/)"
[ "$passed" -eq "$N" ]
