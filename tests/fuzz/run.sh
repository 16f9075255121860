#!/usr/bin/env bash
# Runs every libFuzzer harness for SECONDS each (default 60) from the seed
# corpus in tests/fuzz/corpus/; new inputs go to a scratch folder, crashes to
# OUT/ (default build-fuzz/fuzz-out). Exits non-zero on the first finding.
#   tests/fuzz/run.sh [BUILD_DIR] [SECONDS]     (CI: 60 s; overnight: 28800)
# SEED (default 1) makes a run repeatable (CI); SEED=0 lets libFuzzer pick
# one (long runs, to explore).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build-fuzz}"
seconds="${2:-60}"
out="${OUT:-$build/fuzz-out}"
mkdir -p "$out"
for name in query checksum url node_xml config webhook_event; do
  bin="$build/tests/fuzz/${name}_fuzz"
  scratch="$out/$name-corpus"
  mkdir -p "$scratch"
  echo "== fuzz $name for ${seconds}s"
  # Any undefined behaviour is a crash (its input saved like any other).
  UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1" \
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/$name-" \
    -seed="${SEED:-1}" \
    "$scratch" "$here/corpus/$name" >"$out/$name.log" 2>&1 || status=$?
  grep -E "^(Done|stat::|SUMMARY|==[0-9]+==|.*invariant failed)" "$out/$name.log" || true
  if [ "${status:-0}" != 0 ]; then
    tail -n 40 "$out/$name.log"
    echo "fuzz $name found a failure (exit $status); input in $out/$name-*"
    exit 1
  fi
done
echo "fuzz: no failure"
