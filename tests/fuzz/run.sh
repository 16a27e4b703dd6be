#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60), two at a time, starting from the committed
# seed corpus in tests/fuzz/corpus/<target>/:   bash tests/fuzz/run.sh [SECONDS] [OUT_DIR]
# New interesting inputs go to OUT_DIR/corpus/ (never into the repository); a crashing input
# is saved as OUT_DIR/artifacts/<target>-crash-<sha1> and the script exits non-zero.
# Turn every crash into a test in tests/test_regressions_fuzz.cpp.
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
out=${2:-build-fuzz}
mkdir -p "$out/artifacts" "$out/logs"

run_one() {
  local t=$1
  mkdir -p "$out/corpus/$t"
  # -rss_limit_mb: a loader must not need GBs for a small input; -timeout: nor seconds.
  "$out/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$t-" "$out/corpus/$t" "tests/fuzz/corpus/$t" >"$out/logs/$t.log" 2>&1
  local rc=$?
  local execs
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/logs/$t.log" | grep -o '[0-9]*$')
  echo "$t: exit $rc, ${execs:-?} inputs in ${seconds} s ($(( ${execs:-0} / seconds ))/s)"
  if [ $rc -ne 0 ]; then tail -n 40 "$out/logs/$t.log"; fi
  return $rc
}

status=0
run_one fuzz_pairs & p1=$!
run_one fuzz_labelled & p2=$!
wait $p1 || status=1
wait $p2 || status=1
run_one fuzz_vocab & p1=$!
run_one fuzz_checkpoint & p2=$!
wait $p1 || status=1
wait $p2 || status=1
exit $status
