#!/usr/bin/env python3
"""Generate a synthetic git history with `git fast-import`, for benchmarks.

usage: gen-history.py DIR COMMITS [--tagged 0.3] [--merge-every 50] [--stories 200] [--seed 1]

About `--tagged` of the commits carry a Tracker tag ([#id], [Fixes #id], [#id delivers], ...),
every `--merge-every`th commit is a merge of a short side branch. Dates increase by one minute
per commit, so `git rev-list --date-order` and `--topo-order` agree.
"""
import argparse
import os
import random
import subprocess
import sys

TAGS = ["[#{s}]", "[Fixes #{s}]", "[#{s} delivers]", "[finishes #{s}, #{t}]", "[Completed: #{s}]"]
WORDS = "add fix update remove refactor tidy speed up document cache parse post queue retry".split()


def message(rng, i, tagged, stories):
    subject = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} in module {i % 97}"
    body = f"Change number {i}.\n\nSome explanation of the change that spans a line or two of text\nso that messages have a realistic size.\n"
    if tagged:
        tag = rng.choice(TAGS).format(s=rng.randint(1, stories) + 1000, t=rng.randint(1, stories) + 1000)
        if rng.random() < 0.5:
            subject = f"{tag} {subject}"
        else:
            body += f"\n{tag}\n"
    return f"{subject}\n\n{body}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("commits", type=int)
    ap.add_argument("--tagged", type=float, default=0.3)
    ap.add_argument("--merge-every", type=int, default=50)
    ap.add_argument("--stories", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bare", action="store_true")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    init = ["git", "init", "-q", "-b", "main"] + (["--bare"] if args.bare else []) + [args.dir]
    subprocess.run(init, check=True)
    git_dir = args.dir if args.bare else os.path.join(args.dir, ".git")
    proc = subprocess.Popen(["git", f"--git-dir={git_dir}", "fast-import", "--quiet", "--force"],
                            stdin=subprocess.PIPE)
    out = proc.stdin
    when = 1_600_000_000
    mark = 0
    main_mark = None
    made = 0

    def commit(ref, parents, text, path):
        nonlocal mark, when
        mark += 1
        when += 60
        data = text.encode()
        blob = f"line {mark}\n".encode()
        lines = [f"commit {ref}", f"mark :{mark}",
                 f"author Dev {mark % 17} <dev{mark % 17}@example.com> {when} +0000",
                 f"committer Dev {mark % 17} <dev{mark % 17}@example.com> {when} +0000",
                 f"data {len(data)}"]
        out.write(("\n".join(lines) + "\n").encode() + data + b"\n")
        if parents:
            out.write(f"from :{parents[0]}\n".encode())
            for p in parents[1:]:
                out.write(f"merge :{p}\n".encode())
        out.write(f"M 644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n")
        return mark

    while made < args.commits:
        i = made
        if args.merge_every and main_mark and i % args.merge_every == 0 and made + 3 <= args.commits:
            side = commit("refs/heads/side", [main_mark], message(rng, i, rng.random() < args.tagged, args.stories), f"side/{i % 50}.txt")
            side = commit("refs/heads/side", [side], message(rng, i + 1, rng.random() < args.tagged, args.stories), f"side/{(i + 1) % 50}.txt")
            main_mark = commit("refs/heads/main", [main_mark, side], f"Merge branch 'side' ({i})\n", f"main/{i % 50}.txt")
            made += 3
            continue
        parents = [main_mark] if main_mark else []
        main_mark = commit("refs/heads/main", parents, message(rng, i, rng.random() < args.tagged, args.stories), f"main/{i % 50}.txt")
        made += 1
    out.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    if not args.bare:
        subprocess.run(["git", "-C", args.dir, "checkout", "-q", "-f", "main"], check=True)
    print(f"{args.dir}: {made} commits")


if __name__ == "__main__":
    main()
