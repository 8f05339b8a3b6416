#!/usr/bin/env python3
"""Start-up crash check: runs `commitbridge hook commit-msg <file>` again and again (as a husky
set-up does on every `git commit`) while every core is kept busy, and counts the runs that ended by
a signal. Exiting while libgit2's start-up was still going on on another thread used to end about
one run in a hundred with SIGSEGV under load; the expected count is 0.

Bounded: at most --runs runs and --time-cap seconds; the load processes stop by themselves after
the time cap (and are ended when the runs are done).

usage: bench/commit-msg-crash.py [--runs 2000] [--time-cap 900] [--binary PATH] [--load N]
The binary defaults to the release build's (`swift build -c release --show-bin-path`, not built here).
"""
import argparse
import collections
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def release_binary():
    bindir = subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(bindir, "commitbridge")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--time-cap", type=float, default=900, help="seconds for all the runs together")
    parser.add_argument("--binary", help="the commitbridge to run (default: the release build)")
    parser.add_argument("--load", type=int, default=os.cpu_count() or 2, help="busy processes in the background")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary) if args.binary else release_binary()
    if not os.access(binary, os.X_OK):
        sys.exit(f"no executable at {binary} (build it, or pass --binary)")

    work = tempfile.mkdtemp(prefix="commit-msg-crash-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "TRACKER_", "COMMITBRIDGE_"))}
    env.update(HOME=work, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", work], check=True, env=env)
    message = os.path.join(work, ".git", "COMMIT_EDITMSG")
    with open(message, "w") as handle:
        handle.write("Tighten the retry loop [#1234]\n\nA body line.\n")

    # Busy loops, one a core, each ending by itself after the time cap.
    busy = f"import time\nend = time.time() + {args.time_cap + 10}\nwhile time.time() < end: pass\n"
    load = [subprocess.Popen([sys.executable, "-c", busy]) for _ in range(max(0, args.load))]
    signals = collections.Counter()
    failures = collections.Counter()
    times = []
    started = time.monotonic()
    runs = 0
    try:
        for _ in range(args.runs):
            if time.monotonic() - started > args.time_cap:
                break
            before = time.monotonic()
            try:
                result = subprocess.run([binary, "hook", "commit-msg", message], cwd=work, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
                code = result.returncode
            except subprocess.TimeoutExpired:
                code = "hung (killed after 60 s)"
            times.append(time.monotonic() - before)
            runs += 1
            if isinstance(code, int) and code < 0:
                signals[signal.Signals(-code).name] += 1
            elif code != 0:
                failures[str(code)] += 1
    finally:
        for process in load:
            process.kill()
            process.wait()
        subprocess.run(["rm", "-rf", work])

    crashed = sum(signals.values())
    print(f"binary: {binary}")
    print(f"runs: {runs} (cap {args.runs} runs, {args.time_cap:.0f} s) with {len(load)} busy processes")
    print(f"ended by a signal: {crashed}" + (f" ({dict(signals)})" if crashed else ""))
    print(f"other non-zero exits: {sum(failures.values())}" + (f" ({dict(failures)})" if failures else ""))
    if times:
        print(f"median run: {statistics.median(times) * 1000:.1f} ms")
    sys.exit(1 if crashed or failures else 0)


if __name__ == "__main__":
    main()
