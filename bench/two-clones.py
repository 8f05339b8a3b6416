#!/usr/bin/env python3
"""Two clones delivering the same history: duplicates left by the window that remains.

usage: bench/two-clones.py [--commits 200] [--stories 20] [--latency-ms 20] [--runs 3] [--concurrency 4]

Each run makes a fresh tracker-sim (on 127.0.0.1) and two clones of one generated history, each
with its own state directory, and:
- one after the other: clone A replays, then clone B (and, in the next run, B then A): a commit
  already on Tracker must be found among its story's comments, so no duplicate is expected;
- at the same moment: both replays start together and race, commit for commit. Tracker's comments
  are read once per story right before posting; a commit that both clones read as absent and then
  both post is a duplicate. The figure printed is that count (`duplicate_comments`).

Every loop is bounded by --runs; every process has a time limit.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from post import TOKEN, Sim, build, make_history  # noqa: E402



def replay(commitbridge, clone, api, concurrency, env):
    return subprocess.Popen([commitbridge, "replay", "HEAD", "-C", clone, "--tracker-url", api,
                             "--concurrency", str(concurrency)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(process, label):
    try:
        _, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit(f"{label}: replay did not finish within 300 s")
    if process.returncode != 0:
        sys.exit(f"{label}: replay exited {process.returncode}: {err[-1500:]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--stories", type=int, default=20)
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=4)
    args = ap.parse_args()

    commitbridge, sim_bin = build()
    work = tempfile.mkdtemp(prefix="commitbridge-two-clones-")
    env = dict(os.environ, TRACKER_TOKEN=TOKEN)
    try:
        origin = os.path.join(work, "origin")
        fixtures = make_history(work, origin, args.commits, args.stories)

        print(f"{args.commits} tagged commits over {args.stories} stories, two clones, "
              f"tracker-sim --latency-ms {args.latency_ms}, --concurrency {args.concurrency}")
        print(f"{'run':>3} {'mode':24} {'POSTs':>6} {'comments':>9} {'duplicates':>11}")
        for number in range(args.runs):
            for mode in ("A then B" if number % 2 == 0 else "B then A", "same moment"):
                clones = []
                for name in ("a", "b"):
                    path = os.path.join(work, f"{name}-{number}-{mode.replace(' ', '-')}")
                    subprocess.run(["git", "clone", "-q", origin, path], check=True)
                    clones.append(path)
                sim = Sim(sim_bin, fixtures, args.latency_ms)
                try:
                    if mode == "same moment":
                        running = [replay(commitbridge, c, sim.api, args.concurrency, env) for c in clones]
                        for process, label in zip(running, ("A", "B")):
                            finish(process, label)
                    else:
                        order = clones if mode == "A then B" else list(reversed(clones))
                        for clone in order:
                            finish(replay(commitbridge, clone, sim.api, args.concurrency, env), clone)
                    stats = sim.stats()
                finally:
                    sim.stop()
                print(f"{number + 1:3d} {mode:24} {stats['source_commits']:6d} {stats['comments']:9d} "
                      f"{stats['duplicate_comments']:11d}")
                for clone in clones:
                    shutil.rmtree(clone, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
