#!/usr/bin/env bash
# Scan benchmark: `commitbridge replay HEAD --dry-run --offline --json` versus `git log` over the
# same history, on generated repositories of the given sizes. Prints wall time, peak resident
# memory (from /usr/bin/time) and the ratios, all measured in this one run.
#
# usage: bench/scan.sh [SIZE | REPO ...]   (default: 10000 100000)
#        A number makes (once) and measures a generated history of that many commits; a path
#        measures that existing repository's HEAD (for instance a real project fetched for the purpose).
# env:   BENCH_DIR (default /tmp/commitbridge-bench), RUNS (default 3, the best run is kept),
#        COMMIT_GRAPH=1 writes a commit-graph file first (`git commit-graph write --reachable`, as
#        git's own maintenance does), COMMIT_GRAPH=0 removes it; unset leaves the repository as it is.
#        Both tools read the same repository either way.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
dir=${BENCH_DIR:-/tmp/commitbridge-bench}
runs=${RUNS:-3}
mkdir -p "$dir"

swift build -c release --static-swift-stdlib --product commitbridge >/dev/null
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/commitbridge

# best_of CMD...: prints "seconds peak_kib" of the fastest of $runs runs (stdout of CMD discarded).
best_of() {
    local best_s="" best_k=""
    for _ in $(seq "$runs"); do
        local line
        /usr/bin/time -o "$dir/time.out" -f "%e %M" "$@" >/dev/null 2>/dev/null
        line=$(tail -n1 "$dir/time.out")
        local s=${line% *} k=${line#* }
        if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; fi
        if [ -z "$best_k" ] || [ "$k" -gt "$best_k" ]; then best_k=$k; fi
    done
    echo "$best_s $best_k"
}

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
    read -r cb_s cb_k < <(best_of "$bin" replay -C "$repo" HEAD --dry-run --offline --json)
    read -r git_s git_k < <(best_of git -C "$repo" log --format='%H%x00%an%x00%B%x00' HEAD)
    ratio=$(awk "BEGIN{printf \"%.2f\", ($git_s > 0 ? $cb_s / $git_s : 0)}")
    printf "%-16s %12s %12s %8s %14.1f %14.1f\n" "$n" "$cb_s" "$git_s" "$ratio" \
        "$(awk "BEGIN{print $cb_k/1024}")" "$(awk "BEGIN{print $git_k/1024}")"
done
echo "ratio = commitbridge time / git log time (lower is better); peak = max resident set over $runs runs"
