#!/usr/bin/env python3
"""Posting benchmark: commitbridge replay versus a loop of one curl per commit, against tracker-sim
on 127.0.0.1, measured in the same run, and versus the ideal commits x latency / concurrency.

env: COMMITBRIDGE_BIN_DIR measures the commitbridge and tracker-sim of that folder instead of building them.
usage: bench/post.py [--commits 2000] [--stories 200] [--latency-ms 50] [--concurrency 4 16] [--runs 1] [--skip-curl]

With --runs N, each client (every concurrency, and the curl loop) runs N times, each time against a
fresh tracker-sim and a fresh state directory, and its fastest run is kept; the clients take turns.

Everything listens on 127.0.0.1; every loop is bounded by the number of commits.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "bench-token-0123456789"


def build():
    # COMMITBRIDGE_BIN_DIR: measure the binaries of that folder (another build, say) instead of building these.
    given = os.environ.get("COMMITBRIDGE_BIN_DIR")
    if given:
        return os.path.join(given, "commitbridge"), os.path.join(given, "tracker-sim")
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "commitbridge"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "tracker-sim"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bindir = subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    return os.path.join(bindir, "commitbridge"), os.path.join(bindir, "tracker-sim")


class Sim:
    def __init__(self, binary, fixtures, latency_ms):
        self.proc = subprocess.Popen([binary, "--port", "0", "--fixtures", fixtures, "--token", TOKEN,
                                      "--latency-ms", str(latency_ms)], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if "http://127.0.0.1:" not in line:
            self.proc.kill()
            sys.exit(f"tracker-sim did not start: {line!r}")
        self.origin = line[line.index("http://"):]
        self.api = self.origin + "/services/v5"

    def stats(self):
        out = subprocess.run(["curl", "-s", "--max-time", "10", self.origin + "/__sim/stats"],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def make_history(work, repo, commits, stories):
    """Generates `commits` tagged commits over `stories` stories in `repo`, and the simulator's
    fixtures for those stories in `work`; returns the fixtures' path."""
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen-history.py"), repo, str(commits),
                    "--tagged", "1.0", "--merge-every", "0", "--stories", str(stories)],
                   check=True, stdout=subprocess.DEVNULL)
    fixtures = os.path.join(work, "fixtures.json")
    with open(fixtures, "w") as f:
        json.dump({"projects": [{"id": 1, "name": "Bench"}],
                   "stories": [{"id": 1000 + i, "project_id": 1, "story_type": "feature",
                                "current_state": "unstarted", "name": f"Story {i}"}
                               for i in range(1, stories + 2)]}, f)
    return fixtures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--stories", type=int, default=200)
    ap.add_argument("--latency-ms", type=int, default=50)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[4])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--skip-curl", action="store_true")
    args = ap.parse_args()

    commitbridge, sim_bin = build()
    work = tempfile.mkdtemp(prefix="commitbridge-post-")
    try:
        repo = os.path.join(work, "repo")
        fixtures = make_history(work, repo, args.commits, args.stories)
        env = dict(os.environ, TRACKER_TOKEN=TOKEN)
        rows = {}
        curl_row = None
        payloads = None
        if not args.skip_curl:
            payloads = subprocess.run([commitbridge, "replay", "HEAD", "-C", repo, "--dry-run", "--offline", "--json"],
                                      capture_output=True, text=True, check=True).stdout.splitlines()

        for run_number in range(args.runs):
            for concurrency in args.concurrency:
                sim = Sim(sim_bin, fixtures, args.latency_ms)
                state = os.path.join(work, f"state-{concurrency}-{run_number}")
                start = time.monotonic()
                run = subprocess.run([commitbridge, "replay", "HEAD", "-C", repo, "--tracker-url", sim.api,
                                      "--state-dir", state, "--concurrency", str(concurrency)],
                                     env=env, capture_output=True, text=True)
                elapsed = time.monotonic() - start
                stats = sim.stats()
                sim.stop()
                if run.returncode != 0:
                    sys.exit(f"commitbridge failed ({run.returncode}): {run.stderr[-2000:]}")
                posted = stats["source_commits"]
                if posted != args.commits:
                    # A run that posts less measures nothing: stop rather than print a fast time.
                    sys.exit(f"commitbridge posted {posted} of {args.commits} commits: {run.stderr[-2000:]}")
                requests = stats["requests"]
                ideal = requests * args.latency_ms / 1000 / concurrency
                row = (f"commitbridge --concurrency {concurrency}", posted, requests, elapsed, ideal)
                if concurrency not in rows or elapsed < rows[concurrency][3]:
                    rows[concurrency] = row

            if payloads is not None:
                sim = Sim(sim_bin, fixtures, args.latency_ms)
                start = time.monotonic()
                for line in payloads:
                    body = json.dumps(json.loads(line)["payload"])
                    subprocess.run(["curl", "-s", "-o", "/dev/null", "--max-time", "30", "-X", "POST",
                                    "-H", f"X-TrackerToken: {TOKEN}", "-H", "Content-Type: application/json",
                                    "--data-binary", "@-", sim.api + "/source_commits"], input=body, text=True, check=True)
                elapsed = time.monotonic() - start
                stats = sim.stats()
                sim.stop()
                row = ("curl loop (one per commit)", stats["source_commits"], stats["requests"], elapsed, None)
                if curl_row is None or elapsed < curl_row[3]:
                    curl_row = row
        rows = [rows[c] for c in args.concurrency]

        print(f"{args.commits} tagged commits over {args.stories} stories, tracker-sim --latency-ms {args.latency_ms}, "
              f"fastest of {args.runs} run(s) each")
        print(f"{'client':34} {'posted':>7} {'requests':>9} {'seconds':>8} {'commits/s':>10} {'vs curl':>8} {'vs ideal':>9}")
        for name, posted, requests, elapsed, ideal in rows + ([curl_row] if curl_row else []):
            rate = posted / elapsed if elapsed else 0
            vs_curl = f"{curl_row[3] / elapsed:.1f}x" if curl_row and curl_row[0] != name else ""
            vs_ideal = f"{elapsed / ideal:.2f}" if ideal else ""
            print(f"{name:34} {posted:7d} {requests:9d} {elapsed:8.2f} {rate:10.1f} {vs_curl:>8} {vs_ideal:>9}")
        print("vs curl = curl loop time / commitbridge time (higher is better); "
              "vs ideal = time / (requests x latency / concurrency), all requests counted (lower is better, 1.0 is the floor)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
