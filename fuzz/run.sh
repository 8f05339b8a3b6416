#!/usr/bin/env bash
# Builds the libFuzzer target of fuzz/ and fuzzes CommitBridgeCore for a while.
#
#   fuzz/run.sh [seconds]        (default 600)
#
# One fuzzing process (no -jobs/-workers). The committed seed corpus (fuzz/corpus/) is read, never
# written: new inputs go to a scratch corpus (fuzz/.build-fuzz/corpus, kept between runs and
# ignored by git). Crash, timeout and out-of-memory inputs go to fuzz/crashes/ (ignored by git).
#
# Environment: FUZZ_MAX_LEN (default 4096), FUZZ_SEED (libFuzzer -seed; default random),
# FUZZ_EXTRA (more libFuzzer flags).
set -euo pipefail

seconds="${1:-600}"
case "$seconds" in
    ''|*[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
scratch="$here/.build-fuzz"
crashes="$here/crashes"
work_corpus="$scratch/corpus"
log="$scratch/fuzz.log"
mkdir -p "$crashes" "$work_corpus"

# Two flags, on purpose:
# - SwiftPM's `--sanitize fuzzer` makes it link the executable without `--defsym main=<module>_main`
#   (with only `-Xswiftc -sanitize=fuzzer` the link fails: under -parse-as-library that symbol never
#   exists, and libFuzzer must supply main anyway);
# - `-Xswiftc -sanitize=fuzzer,address` as ONE option: swiftc keeps only the last -sanitize= it is
#   given, so `--sanitize fuzzer --sanitize address` alone compiles with ASan but no coverage.
build=(swift build -c release --scratch-path "$scratch" --sanitize fuzzer
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "== building: ${build[*]}" >&2
"${build[@]}"
binary="$("${build[@]}" --show-bin-path)/FuzzCommitBridge"

# The Swift runtime's crash handler would take the trap of a broken invariant before libFuzzer does
# (and, under ASan, fail inside its own memory reader): leave crashes to libFuzzer, which saves the input.
export SWIFT_BACKTRACE=enable=no

# Refuse to fuzz blind: libFuzzer must see coverage counters (CommitBridgeCore and the harness).
probe="$("$binary" -runs=0 2>&1 || true)"
if ! grep -q 'inline 8-bit counters' <<<"$probe"; then
    echo "error: $binary has no coverage instrumentation" >&2
    exit 1
fi

args=(
    -max_total_time="$seconds"
    -max_len="${FUZZ_MAX_LEN:-4096}"
    -timeout=10
    -rss_limit_mb=2048
    -print_final_stats=1
    -artifact_prefix="$crashes/"
)
if [[ -n "${FUZZ_SEED:-}" ]]; then args+=(-seed="$FUZZ_SEED"); fi
# shellcheck disable=SC2206
if [[ -n "${FUZZ_EXTRA:-}" ]]; then args+=($FUZZ_EXTRA); fi

echo "== $binary ${args[*]} $work_corpus $here/corpus" >&2
start=$(date +%s)
status=0
# The first corpus directory receives new inputs; the committed seeds are only read.
"$binary" "${args[@]}" "$work_corpus" "$here/corpus" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

echo "== libFuzzer's last lines (full log: $log)"
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE|pulse|NEW|REDUCE)' "$log" | tail -n 3 || true
grep -E '^(stat::|Done [0-9]+ runs)|ERROR: libFuzzer|SUMMARY:|Fatal error|fuzz invariant broken|Test unit written' "$log" || true
echo "== wall time ${elapsed}s, exit status $status, crash artifacts in $crashes: $(find "$crashes" -type f | wc -l)"
exit "$status"
