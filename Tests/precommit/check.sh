#!/usr/bin/env bash
# Checks .pre-commit-hooks.yaml with the real pre-commit framework (pip install pre-commit):
# a scratch repository uses this repository's commitbridge-commit-msg hook at a commit id, then
#   1. a commit with a near-miss tag goes through, with commitbridge's warning shown;
#   2. a commit with a well-formed tag goes through;
#   3. with args ["--strict"], the near-miss commit is refused and HEAD does not move.
# Slow: pre-commit builds the whole package (swift build -c release) into its own cache, 10+ minutes
# from scratch. Not part of the unit tests.
#
# usage: Tests/precommit/check.sh [REPOSITORY [REV]]
#   REPOSITORY defaults to the repository holding this script, REV to its HEAD (committed state
#   only: the hook is taken from a clone). PRE_COMMIT_HOME, when set, is kept between runs, so a
#   second run skips the build; otherwise a temporary one is used and removed.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_repo="$(cd "${1:-$script_dir/../..}" && git rev-parse --show-toplevel)"
rev="$(git -C "$source_repo" rev-parse "${2:-HEAD}^{commit}")"

command -v pre-commit >/dev/null || { echo "check.sh: pre-commit is not installed (pip install pre-commit)" >&2; exit 2; }
command -v swift >/dev/null || { echo "check.sh: swift is not on PATH" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/commitbridge-precommit.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$work/cache}"

failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

echo "pre-commit $(pre-commit --version | awk '{print $2}'), hook repository: a clone of $source_repo at $rev"
git clone --quiet --no-local "$source_repo" "$work/hook-repo"

git init --quiet "$work/project"
cd "$work/project"
git config user.name "pre-commit check"
git config user.email "check@commitbridge.invalid"
git config commit.gpgsign false
write_config() { # $1: extra hook lines (args)
    cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $work/hook-repo
    rev: $rev
    hooks:
      - id: commitbridge-commit-msg
$1
YAML
    git add .pre-commit-config.yaml # pre-commit refuses to run from an unstaged configuration
}

write_config ""
echo "hello" > README
git add README
git -c core.hooksPath=/dev/null commit --quiet -m "Initial commit"
pre-commit install --hook-type commit-msg >/dev/null
[ -x .git/hooks/commit-msg ] && pass "pre-commit install --hook-type commit-msg wrote .git/hooks/commit-msg" \
    || fail "no .git/hooks/commit-msg after pre-commit install"

echo "---- building the hook environment (swift build -c release, the slow part) ----"
start=$(date +%s)
if pre-commit install-hooks > "$work/install-hooks.log" 2>&1; then
    pass "pre-commit built the hook environment in $(( $(date +%s) - start ))s"
else
    tail -40 "$work/install-hooks.log"
    fail "pre-commit install-hooks failed"
    exit 1
fi

commit() { # $1: file to change, $2: message; prints git's output, returns git's status
    echo "$2" >> "$1"
    git add "$1"
    git commit -m "$2" 2>&1
}

echo "---- 1. near-miss tag, default mode ----"
before="$(git rev-parse HEAD)"
if out="$(commit notes "Tidy the notes [finsihes #12]")"; then
    echo "$out" | sed 's/^/    /'
    if [ "$(git rev-parse HEAD)" != "$before" ] && grep -q "commitbridge: warning:" <<<"$out" \
        && grep -q "commitbridge story tags" <<<"$out"; then
        pass "the hook ran, warned about [finsihes #12] and the commit went through"
    else
        fail "expected the commit to go through with a commitbridge warning"
    fi
else
    echo "$out" | sed 's/^/    /'
    fail "the near-miss commit was refused without --strict"
fi

echo "---- 2. well-formed tag, default mode ----"
before="$(git rev-parse HEAD)"
if out="$(commit notes "Finish the notes [finishes #12]")"; then
    echo "$out" | sed 's/^/    /'
    if [ "$(git rev-parse HEAD)" != "$before" ] && ! grep -q "commitbridge: warning:" <<<"$out"; then
        pass "a well-formed tag commits without a warning"
    else
        fail "expected a silent, successful commit"
    fi
else
    echo "$out" | sed 's/^/    /'
    fail "the well-formed commit was refused"
fi

echo "---- 3. near-miss tag, args: [\"--strict\"] ----"
write_config '        args: ["--strict"]'
before="$(git rev-parse HEAD)"
if out="$(commit notes "Tidy the notes again [finsihes #12]")"; then
    echo "$out" | sed 's/^/    /'
    fail "the strict hook let the near-miss commit through"
else
    echo "$out" | sed 's/^/    /'
    if [ "$(git rev-parse HEAD)" = "$before" ] && grep -q "commit refused (--strict)" <<<"$out" \
        && grep -q "Failed" <<<"$out"; then
        pass "--strict refused the commit (pre-commit reported Failed, HEAD unchanged)"
    else
        fail "the commit failed, but not with commitbridge's refusal"
    fi
fi
git reset --quiet --hard HEAD

if [ "$failures" -eq 0 ]; then
    echo "pre-commit check: all 3 cases passed"
else
    echo "pre-commit check: $failures failure(s)"
    exit 1
fi
