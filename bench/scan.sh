#!/usr/bin/env bash
# Scan benchmark: `commitbridge replay HEAD --dry-run --offline --json` versus `git log` over the
# same history, on generated repositories of the given sizes. Prints wall time, peak resident
# memory (from /usr/bin/time) and the ratios, all measured in this one run.
#
# usage: bench/scan.sh [SIZE | REPO ...]   (default: 10000 100000)
#        A number makes (once) and measures a generated history of that many commits; a path
#        measures that existing repository's HEAD (for instance a real project fetched for the purpose).
# env:   COMMITBRIDGE_BIN_DIR (measure the binary in that folder instead of building one),
#        BENCH_DIR (default /tmp/commitbridge-bench), RUNS (default 3; the tools take turns and each
#        one's fastest run is kept),
#        COMMIT_GRAPH=1 writes a commit-graph file first (`git commit-graph write --reachable`, as
#        git's own maintenance does), COMMIT_GRAPH=0 removes it; unset leaves the repository as it is.
#        Both tools read the same repository either way.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
dir=${BENCH_DIR:-/tmp/commitbridge-bench}
runs=${RUNS:-3}
mkdir -p "$dir"

if [ -n "${COMMITBRIDGE_BIN_DIR:-}" ]; then
    bin=$COMMITBRIDGE_BIN_DIR/commitbridge   # measure another build's binary
else
    swift build -c release --static-swift-stdlib --product commitbridge >/dev/null
    bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/commitbridge
fi

# timed CMD...: prints "seconds peak_kib" of one run (stdout of CMD discarded). Wall time comes from
# nanosecond clock reads around the run (/usr/bin/time rounds to 10 ms); /usr/bin/time gives the
# peak resident memory.
timed() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -o "$dir/time.out" -f "%M" "$@" >/dev/null 2>/dev/null
    end=$(date +%s%N)
    echo "$(awk "BEGIN{printf \"%.3f\", ($end - $start) / 1e9}") $(tail -n1 "$dir/time.out")"
}

# min A B / max A B
min() { awk "BEGIN{print ($1 < $2 ? $1 : $2)}"; }
max() { awk "BEGIN{print ($1 > $2 ? $1 : $2)}"; }

printf "%-16s %12s %12s %8s %14s %14s\n" commits "cb s" "git log s" ratio "cb peak MiB" "git peak MiB"
for n in "${sizes[@]}"; do
    if [[ "$n" =~ ^[0-9]+$ ]]; then
        repo="$dir/history-$n"
        [ -d "$repo/.git" ] || python3 bench/gen-history.py "$repo" "$n" >/dev/null
    else
        repo="$n"
        n="$(basename "$(dirname "$repo")")/$(git -C "$repo" rev-list --count HEAD)"
    fi
    case "${COMMIT_GRAPH:-}" in
        1) git -C "$repo" commit-graph write --reachable >/dev/null 2>&1 ;;
        0) rm -f "$(git -C "$repo" rev-parse --absolute-git-dir)/objects/info/commit-graph" ;;
    esac
    # The two tools take turns, so a slow spell of this shared machine hits both alike; the fastest
    # run of each is kept, and the largest peak.
    cb_s=999; cb_k=0; git_s=999; git_k=0
    for _ in $(seq "$runs"); do
        read -r s k < <(timed "$bin" replay -C "$repo" HEAD --dry-run --offline --json)
        cb_s=$(min "$cb_s" "$s"); cb_k=$(max "$cb_k" "$k")
        read -r s k < <(timed git -C "$repo" log --format='%H%x00%an%x00%B%x00' HEAD)
        git_s=$(min "$git_s" "$s"); git_k=$(max "$git_k" "$k")
    done
    ratio=$(awk "BEGIN{printf \"%.2f\", ($git_s > 0 ? $cb_s / $git_s : 0)}")
    printf "%-16s %12s %12s %8s %14.1f %14.1f\n" "$n" "$cb_s" "$git_s" "$ratio" \
        "$(awk "BEGIN{print $cb_k/1024}")" "$(awk "BEGIN{print $git_k/1024}")"
done
echo "ratio = commitbridge time / git log time (lower is better); peak = max resident set over $runs runs"
