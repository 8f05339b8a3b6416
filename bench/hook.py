#!/usr/bin/env python3
"""Hook benchmark, measured in one run:
1. median wall time of `git commit` (a tagged message) in a repository with commitbridge's default
   hooks installed (post-commit, pre-push and commit-msg) versus one without; the tracker URL is a
   closed port on 127.0.0.1, so any background delivery fails fast and the commit stays queued;
2. median wall time of `git push` of one tagged commit to a bare repository on the same disk, with
   the pre-push hook installed versus without (its background delivery waits for the push to end);
3. median time of `commitbridge hook post-receive` for a one-commit push into a 100,000-commit bare
   repository with 5,000 refs, versus a 100-commit one.
env: COMMITBRIDGE_BIN_DIR measures the binaries of that folder instead of building them.

usage: bench/hook.py [--commits 30] [--large 100000] [--refs 5000] [--pushes 10]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build():
    # COMMITBRIDGE_BIN_DIR: measure the binaries of that folder (another build, say) instead of building these.
    given = os.environ.get("COMMITBRIDGE_BIN_DIR")
    if given:
        return os.path.join(given, "commitbridge")
    # The installed commit-msg hook runs commitbridge-commit-msg when it sits beside commitbridge.
    for product in ("commitbridge", "commitbridge-commit-msg"):
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bindir = subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    return os.path.join(bindir, "commitbridge")


def git(*args, cwd=None, env=None, input=None):
    return subprocess.run(["git", *args], cwd=cwd, env=env, input=input, check=True,
                          capture_output=True, text=True).stdout.strip()


def commit_times(repo, count, env):
    times = []
    for i in range(count):
        with open(os.path.join(repo, "f.txt"), "a") as f:
            f.write(f"{i}\n")
        git("add", "f.txt", cwd=repo, env=env)
        start = time.perf_counter()
        git("commit", "-q", "-m", f"Change {i} [#{1000 + i % 7}]", cwd=repo, env=env)
        times.append(time.perf_counter() - start)
        # Let the hook's background work finish, as it would between a person's commits, so that
        # it does not compete for the CPU with the next measured commit.
        time.sleep(0.3)
    return times


def push_times(repo, count, env):
    times = []
    for i in range(count):
        with open(os.path.join(repo, "p.txt"), "a") as f:
            f.write(f"{i}\n")
        git("add", "p.txt", cwd=repo, env=env)
        git("commit", "-q", "-m", f"Pushed {i} [#{2000 + i % 5}]", cwd=repo, env=env)
        time.sleep(0.3)
        start = time.perf_counter()
        git("push", "-q", "origin", "main", cwd=repo, env=env)
        times.append(time.perf_counter() - start)
        # The pre-push hook's background delivery runs once git has ended: let it finish.
        time.sleep(0.3)
    return times


def post_receive_times(binary, bare, pushes, env):
    times = []
    for i in range(pushes):
        old = git("rev-parse", "refs/heads/main", cwd=bare, env=env)
        tree = git("rev-parse", "refs/heads/main^{tree}", cwd=bare, env=env)
        new = git("commit-tree", tree, "-p", old, "-m", f"pushed {i} [#1001]", cwd=bare, env=env)
        git("update-ref", "refs/heads/main", new, old, cwd=bare, env=env)
        start = time.perf_counter()
        subprocess.run([binary, "hook", "post-receive"], cwd=bare, env=dict(env, GIT_DIR=bare),
                       input=f"{old} {new} refs/heads/main\n", text=True, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def make_bare(work, name, commits, refs):
    path = os.path.join(work, name)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen-history.py"), path, str(commits), "--bare",
                    "--merge-every", "0"], check=True, stdout=subprocess.DEVNULL)
    shas = git("rev-list", "--max-count", str(max(refs, 1)), "main", cwd=path).split("\n")
    lines = "".join(f"create refs/heads/b{i} {shas[i % len(shas)]}\n" for i in range(refs))
    git("update-ref", "--stdin", cwd=path, input=lines)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=30)
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--refs", type=int, default=5000)
    ap.add_argument("--pushes", type=int, default=10)
    ap.add_argument("--git-pushes", type=int, default=20)
    args = ap.parse_args()
    binary = build()
    work = tempfile.mkdtemp(prefix="commitbridge-hook-")
    try:
        env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="b@example.com",
                   GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="b@example.com", HOME=work,
                   GIT_CONFIG_NOSYSTEM="1")
        env.pop("TRACKER_TOKEN", None)
        repos = {}
        for name in ("plain", "hooked"):
            path = os.path.join(work, name)
            git("init", "-q", "-b", "main", path, env=env)
            git("config", "commitbridge.trackerUrl", "http://127.0.0.1:9/services/v5", cwd=path, env=env)
            git("config", "commitbridge.token", "bench-token", cwd=path, env=env)
            repos[name] = path
        subprocess.run([binary, "install"], cwd=repos["hooked"], env=env, check=True, capture_output=True)
        # Interleave the two so that machine noise hits both alike.
        plain, hooked = [], []
        for _ in range(args.commits // 5):
            plain += commit_times(repos["plain"], 5, env)
            hooked += commit_times(repos["hooked"], 5, env)
        median_plain = statistics.median(plain) * 1000
        median_hooked = statistics.median(hooked) * 1000
        print(f"git commit, median of {len(plain)}: without hooks {median_plain:.1f} ms, with hooks "
              f"{median_hooked:.1f} ms, added {median_hooked - median_plain:.1f} ms")

        for name in ("plain", "hooked"):
            remote = os.path.join(work, name + "-remote.git")
            git("init", "-q", "--bare", "-b", "main", remote, env=env)
            git("remote", "add", "origin", remote, cwd=repos[name], env=env)
            git("push", "-q", "origin", "main", cwd=repos[name], env=env)
        plain_push, hooked_push = [], []
        for _ in range(args.git_pushes // 5):
            plain_push += push_times(repos["plain"], 5, env)
            hooked_push += push_times(repos["hooked"], 5, env)
        mp, mh = statistics.median(plain_push) * 1000, statistics.median(hooked_push) * 1000
        print(f"git push of one commit, median of {len(plain_push)}: without hooks {mp:.1f} ms, with pre-push "
              f"{mh:.1f} ms, added {mh - mp:.1f} ms")

        small = make_bare(work, "small.git", 100, 10)
        large = make_bare(work, "large.git", args.large, args.refs)
        for bare in (small, large):
            git("config", "commitbridge.trackerUrl", "http://127.0.0.1:9/services/v5", cwd=bare, env=env)
            git("config", "commitbridge.token", "bench-token", cwd=bare, env=env)
        small_times = post_receive_times(binary, small, args.pushes, env)
        large_times = post_receive_times(binary, large, args.pushes, env)
        ms, ml = statistics.median(small_times) * 1000, statistics.median(large_times) * 1000
        print(f"hook post-receive, one-commit push, median of {args.pushes}: 100 commits/10 refs {ms:.1f} ms, "
              f"{args.large} commits/{args.refs} refs {ml:.1f} ms, ratio {ml / ms:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
