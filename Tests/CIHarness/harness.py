#!/usr/bin/env python3
"""Runs the shell of action.yml and of the GitLab CI template against a local git server and
tracker-sim, the way GitHub Actions and GitLab CI would run them after a push.

    python3 Tests/CIHarness/harness.py --bin DIR [--case NAME ...] [--list] [--keep]

DIR holds prebuilt `commitbridge` and `tracker-sim`. Standard library only. What it reads of the
two YAML files, and what it does not cover, is in Tests/CIHarness/README.md.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACTION = os.path.join(ROOT, "action.yml")
TEMPLATE = os.path.join(ROOT, "ci", "gitlab", "commitbridge.gitlab-ci.yml")
TOKEN = "harness-token-0123456789"
PROJECT = 42
OLD_STORY = 100  # tagged in the history before the push: must never be posted


# ---------------------------------------------------------------------------------------------
# A reader for the block-style YAML subset that action.yml and the template are written in:
# mappings (`key: value`, `key:` + a deeper block), sequences (`- item`, `- key: value` + more keys
# at the item's indentation), literal blocks (`|`), plain and double-/single-quoted scalars, and
# whole-line comments. No flow collections, anchors, tags, folded blocks or multi-document files.

class YamlSubsetError(Exception):
    pass


def read_yaml(path):
    lines = []
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle.read().split("\n"), 1):
            lines.append((number, text.rstrip()))
    value, index = _block(lines, _next_content(lines, 0), 0)
    index = _next_content(lines, index)
    if index < len(lines):
        raise YamlSubsetError(f"{path}:{lines[index][0]}: unexpected indentation")
    return value


def _is_content(text):
    stripped = text.strip()
    return stripped != "" and not stripped.startswith("#")


def _next_content(lines, index):
    while index < len(lines) and not _is_content(lines[index][1]):
        index += 1
    return index


def _indent(text):
    return len(text) - len(text.lstrip(" "))


def _block(lines, index, indent):
    """The mapping or sequence whose entries start at exactly `indent`."""
    if index >= len(lines):
        return None, index
    if lines[index][1].lstrip().startswith("- ") or lines[index][1].strip() == "-":
        return _sequence(lines, index, indent)
    return _mapping(lines, index, indent)


def _mapping(lines, index, indent, first=None):
    result = {}
    while True:
        index = _next_content(lines, index) if first is None else index
        if index >= len(lines):
            return result, index
        number, text = lines[index]
        if first is not None:
            text, first = " " * indent + first, None
        if _indent(text) < indent:
            return result, index
        if _indent(text) > indent or text.lstrip().startswith("- "):
            raise YamlSubsetError(f"line {number}: unexpected indentation")
        match = re.match(r"^\s*([^\s:#][^:]*?):(?:\s+(.*))?$", text)
        if not match:
            raise YamlSubsetError(f"line {number}: not a `key: value` line: {text.strip()}")
        key, rest = match.group(1), (match.group(2) or "").strip()
        if key in result:
            raise YamlSubsetError(f"line {number}: duplicate key {key}")
        result[key], index = _value(lines, index, indent, rest, number)


def _sequence(lines, index, indent):
    result = []
    while True:
        index = _next_content(lines, index)
        if index >= len(lines):
            return result, index
        number, text = lines[index]
        if _indent(text) < indent:
            return result, index
        if _indent(text) > indent or not text.lstrip().startswith("-"):
            raise YamlSubsetError(f"line {number}: expected `- ` at column {indent + 1}")
        item = text.lstrip()[1:].strip()
        if re.match(r"^[^\s:#\"'|][^:]*?:(\s|$)", item):
            # `- key: value` starts a mapping whose keys sit at the item's own indentation.
            value, index = _mapping(lines, index, indent + 2, first=item)
        else:
            value, index = _value(lines, index, indent, item, number)
        result.append(value)


def _value(lines, index, indent, rest, number):
    """The value after `key:` or `- ` on line `index`; returns it and the next line's index."""
    if rest == "|" or rest == "|-":
        return _literal(lines, index + 1, indent, keep_newline=(rest == "|"))
    if rest == "":
        following = _next_content(lines, index + 1)
        if following < len(lines) and _indent(lines[following][1]) > indent:
            return _block(lines, following, _indent(lines[following][1]))
        if following < len(lines) and _indent(lines[following][1]) == indent and lines[following][1].lstrip().startswith("- "):
            return _block(lines, following, indent)
        return None, index + 1
    return _scalar(rest, number), index + 1


def _literal(lines, index, indent, keep_newline):
    body, block_indent = [], None
    while index < len(lines):
        text = lines[index][1]
        if text.strip() == "":
            body.append("")
            index += 1
            continue
        if block_indent is None:
            block_indent = _indent(text)
            if block_indent <= indent:
                break
        if _indent(text) < block_indent:
            break
        body.append(text[block_indent:])
        index += 1
    while body and body[-1] == "":
        body.pop()
    return "\n".join(body) + ("\n" if keep_newline and body else ""), index


def _scalar(text, number):
    if text[0] in "[{&*!>":
        raise YamlSubsetError(f"line {number}: outside the subset: {text}")
    if text.startswith('"'):
        if not text.endswith('"') or len(text) < 2:
            raise YamlSubsetError(f"line {number}: unterminated string")
        return json.loads(text)  # the files use only JSON's escapes
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise YamlSubsetError(f"line {number}: unterminated string")
        return text[1:-1].replace("''", "'")
    if " #" in text:
        raise YamlSubsetError(f"line {number}: no comments after a value, please")
    return {"true": True, "false": False}.get(text, text)


# ---------------------------------------------------------------------------------------------
# Small helpers.

def log(text=""):
    print(text, flush=True)


def indented(text, prefix="    | "):
    return "\n".join(prefix + line for line in text.rstrip("\n").split("\n")) if text.strip() else prefix + "(nothing)"


def git(args, cwd, env=None, check=True):
    result = subprocess.run(["git"] + args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}:\n{result.stderr}")
    return result.stdout.strip()


class Failure(Exception):
    pass


def expect(condition, text):
    if not condition:
        raise Failure(text)
    log(f"  ok: {text}")


class TrackerSim:
    """tracker-sim on 127.0.0.1 with the stories the commits name."""

    def __init__(self, bin_dir, directory, stories):
        fixtures = {"projects": [{"id": PROJECT, "name": "CI harness"}],
                    "stories": [{"id": s, "project_id": PROJECT, "story_type": "feature",
                                 "current_state": "unstarted", "name": f"story {s}"} for s in stories]}
        path = os.path.join(directory, "fixtures.json")
        with open(path, "w") as handle:
            json.dump(fixtures, handle)
        self.process = subprocess.Popen([os.path.join(bin_dir, "tracker-sim"), "--port", "0", "--fixtures", path,
                                         "--token", TOKEN], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first = self.process.stdout.readline().strip()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", first)
        if not match:
            self.stop()
            raise RuntimeError(f"tracker-sim did not say where it listens: {first!r}")
        self.base = match.group(1)
        self.api = self.base + "/services/v5"

    def _get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as answer:
            return json.loads(answer.read())

    def stats(self):
        return self._get("/__sim/stats")

    def comments(self):
        """story id -> the commit ids of its comments, in order."""
        return {s["id"]: [c.get("commit_identifier") for c in s.get("comments", [])] for s in self._get("/__sim/stories")}

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------------------------
# The world a CI run sees: a bare "server", a history on it, a push, a checkout.

class World:
    def __init__(self, root, bin_dir, base_commits=25, same_second=False):
        self.root, self.bin_dir, self.same_second = root, bin_dir, same_second
        self.home = os.path.join(root, "home")
        os.makedirs(self.home)
        # A clean git: no user or system configuration, a fixed identity; and none of the variables
        # of the CI service the harness itself may run on (each case sets its own).
        self.git_env = {k: v for k, v in os.environ.items()
                        if not k.startswith(("GIT_", "TRACKER_", "COMMITBRIDGE_", "GITHUB_", "GITLAB_", "CI_")) and k != "CI"}
        self.git_env.update({"HOME": self.home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Harness",
                             "GIT_AUTHOR_EMAIL": "harness@example.com", "GIT_COMMITTER_NAME": "Harness",
                             "GIT_COMMITTER_EMAIL": "harness@example.com"})
        self.server = os.path.join(root, "server.git")
        self.url = "file://" + self.server
        git(["init", "--quiet", "--bare", "--initial-branch=main", self.server], root, self.git_env)
        self.developer = os.path.join(root, "developer")
        git(["clone", "--quiet", self.url, self.developer], root, self.git_env)
        git(["checkout", "--quiet", "-b", "main"], self.developer, self.git_env)
        for n in range(1, base_commits + 1):
            # Tagged history that is already old news: a run that posts it has taken too wide a range.
            message = f"Earlier work {n} [#{OLD_STORY}]" if n % 5 == 0 else f"Earlier work {n}"
            self.commit(message)
        git(["push", "--quiet", "origin", "main"], self.developer, self.git_env)

    def commit(self, message):
        # One minute apart, as a real history's commits are: a walk's order then does not hang on
        # which commits happened to share a second.
        self.commits_made = getattr(self, "commits_made", 0) + 1
        date = f"@{1_700_000_000 + (0 if self.same_second else 60 * self.commits_made)} +0000"
        env = dict(self.git_env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        git(["commit", "--quiet", "--allow-empty", "-m", message], self.developer, env)
        return git(["rev-parse", "HEAD"], self.developer, self.git_env)

    def tip(self):
        return git(["rev-parse", "refs/heads/main"], self.server, self.git_env)

    def push_new_commits(self, stories):
        verbs = ["#{}", "Fixes #{}", "#{} delivers"]
        commits = [(self.commit(f"Change for story {s} [{verbs[i % 3].format(s)}]"), s) for i, s in enumerate(stories)]
        git(["push", "--quiet", "origin", "main"], self.developer, self.git_env)
        return commits

    def checkout_like_github(self, name, sha, depth):
        """What actions/checkout does: a new repository; `fetch-depth: 1` (its default) fetches the
        pushed commit alone, `fetch-depth: 0` every branch whole."""
        path = os.path.join(self.root, name)
        os.makedirs(path)
        fetch = (["fetch", "--quiet", "--no-tags", "--prune", f"--depth={depth}", "origin", f"+{sha}:refs/remotes/origin/main"]
                 if depth else ["fetch", "--quiet", "--prune", "origin", "+refs/heads/*:refs/remotes/origin/*"])
        for args in (["init", "--quiet"], ["remote", "add", "origin", self.url], fetch,
                     ["checkout", "--quiet", "--force", "-B", "main", sha]):
            git(args, path, self.git_env)
        return path

    def clone_like_gitlab(self, name, depth):
        """A GitLab runner's build directory, first made by an earlier pipeline (GIT_DEPTH; 0 = whole)."""
        path = os.path.join(self.root, name)
        git(["clone", "--quiet", "--no-tags"] + (["--depth", str(depth)] if depth else []) + [self.url, path],
            self.root, self.git_env)
        return path

    def fetch_like_gitlab(self, path, sha, depth):
        """GitLab's default `fetch` strategy for the new pipeline: fetch the branch, check out the commit."""
        git(["fetch", "--quiet", "--prune"] + (["--depth", str(depth)] if depth else []) +
            ["origin", "+refs/heads/main:refs/remotes/origin/main"], path, self.git_env)
        git(["checkout", "--quiet", "--force", sha], path, self.git_env)

    def depth(self, path):
        return int(git(["rev-list", "--count", "HEAD"], path, self.git_env))


# ---------------------------------------------------------------------------------------------
# Running the two files.

EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


class ActionRun:
    """Runs action.yml's `run:` steps as GitHub's runner would, skipping `uses:` and the build."""

    def __init__(self, world, workspace, sim, event, inputs):
        self.world, self.workspace, self.sim, self.inputs = world, workspace, sim, inputs
        self.action = read_yaml(ACTION)
        self.temp = tempfile.mkdtemp(prefix="runner-temp-", dir=world.root)
        self.summary = os.path.join(self.temp, "step_summary.md")
        open(self.summary, "w").close()
        event_path = os.path.join(self.temp, "event.json")
        with open(event_path, "w") as handle:
            json.dump(event, handle)
        self.env = dict(world.git_env)
        self.env.update({
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": event_path,
            "GITHUB_REF": event["ref"], "GITHUB_REF_NAME": event["ref"].split("/", 2)[-1], "GITHUB_REF_TYPE": "branch",
            "GITHUB_SHA": event["after"], "GITHUB_WORKSPACE": workspace, "GITHUB_STEP_SUMMARY": self.summary,
            "GITHUB_ACTION_PATH": ROOT, "GITHUB_REPOSITORY": "example/app", "GITHUB_SERVER_URL": "https://github.com",
            "RUNNER_TEMP": self.temp, "RUNNER_OS": "Linux",
        })
        self.outputs = {}
        self.added_path = []

    def expand(self, text):
        def replace(match):
            expression = match.group(1)
            if expression.startswith("inputs."):
                name = expression[len("inputs."):]
                declared = self.action["inputs"]
                if name not in declared:
                    raise Failure(f"action.yml uses an undeclared input: {name}")
                return str(self.inputs.get(name, declared[name].get("default", "")))
            if expression == "github.action_path":
                return ROOT
            step = re.match(r"^steps\.([\w-]+)\.outputs\.([\w-]+)$", expression)
            if step:
                return self.outputs.get(step.group(1), {}).get(step.group(2), "")
            env = re.match(r"^env\.(\w+)$", expression)
            if env:
                return self.env.get(env.group(1), "")
            raise Failure(f"the harness does not know the expression ${{{{ {expression} }}}}")
        return EXPRESSION.sub(replace, text)

    def run(self):
        """Runs the steps; returns (exit status of the last step run, its combined output)."""
        status, output = 0, ""
        for step in self.action["runs"]["steps"]:
            name = step.get("name", step.get("id", "?"))
            if "uses" in step:
                log(f"  step '{name}': skipped (uses: {step['uses']})")
                continue
            if step.get("id") == "build":
                log(f"  step '{name}': skipped (the harness is given --bin {self.world.bin_dir})")
                continue
            if "if" in step:
                raise Failure(f"step '{name}' has an `if:` the harness cannot evaluate: {step['if']}")
            if step.get("shell") != "bash":
                raise Failure(f"step '{name}' must say `shell: bash`")
            env = dict(self.env)
            for key, value in (step.get("env") or {}).items():
                env[key] = self.expand(str(value))
            output_file = os.path.join(self.temp, f"output-{step.get('id', 'step')}")
            path_file = os.path.join(self.temp, f"path-{step.get('id', 'step')}")
            open(output_file, "w").close()
            open(path_file, "w").close()
            env["GITHUB_OUTPUT"], env["GITHUB_PATH"] = output_file, path_file
            # GITHUB_PATH entries go first, as on the runner; then the prebuilt binaries before them.
            env["PATH"] = ":".join([self.world.bin_dir] + self.added_path + [self.env["PATH"]])
            script = os.path.join(self.temp, f"step-{step.get('id', 'step')}.sh")
            with open(script, "w") as handle:
                handle.write(self.expand(step["run"]))
            log(f"  step '{name}': bash --noprofile --norc -eo pipefail (in the workspace)")
            result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=self.workspace,
                                    env=env, capture_output=True, text=True, timeout=300)
            output = result.stdout + result.stderr
            log(indented(output))
            log(f"    exit {result.returncode}")
            status = result.returncode
            with open(output_file) as handle:
                self.outputs[step.get("id", "")] = dict(line.split("=", 1) for line in handle.read().splitlines() if "=" in line)
            with open(path_file) as handle:
                self.added_path = [line for line in handle.read().splitlines() if line] + self.added_path
            if status != 0:
                break
        return status, output


class TemplateRun:
    """Runs the template's before_script and script in one bash, as GitLab's runner does."""

    def __init__(self, world, workspace, sim, variables):
        self.world, self.workspace = world, workspace
        job = read_yaml(TEMPLATE)[".commitbridge"]
        self.job = job
        self.env = dict(world.git_env)
        for key, value in (job.get("variables") or {}).items():
            self.env[key] = str(value)
        self.env.update({"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": workspace, "CI_DEFAULT_BRANCH": "main",
                         "CI_PIPELINE_SOURCE": "push", "CI_PROJECT_URL": "https://gitlab.example.com/group/app",
                         "COMMITBRIDGE_BIN": world.bin_dir})
        self.env.update(variables)
        self.env["PATH"] = world.bin_dir + ":" + self.env["PATH"]

    def run(self):
        entries = (self.job.get("before_script") or []) + (self.job.get("script") or [])
        script = os.path.join(self.world.root, "gitlab-job.sh")
        with open(script, "w") as handle:
            handle.write("\n".join(entries))
        log(f"  job '.commitbridge': {len(entries)} script entries, bash -eo pipefail (in CI_PROJECT_DIR)")
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=self.workspace,
                                env=self.env, capture_output=True, text=True, timeout=300)
        output = result.stdout + result.stderr
        log(indented(output))
        log(f"    exit {result.returncode}")
        return result.returncode, output


# ---------------------------------------------------------------------------------------------
# Cases.

def github_event(before, after):
    return {"ref": "refs/heads/main", "before": before, "after": after, "created": False, "deleted": False,
            "forced": False, "repository": {"full_name": "example/app"}}


def check_posted_exactly(sim, commits):
    stats, comments = sim.stats(), sim.comments()
    log(f"  tracker-sim stats: {json.dumps(stats, sort_keys=True)}")
    expect(stats["source_commits"] == len(commits), f"tracker-sim received {len(commits)} source_commits (got {stats['source_commits']})")
    expect(stats["duplicate_comments"] == 0, "no duplicate comments")
    for sha, story in commits:
        expect(comments.get(story) == [sha], f"story #{story} carries exactly {sha[:12]} (got {[c[:12] for c in comments.get(story, []) if c]})")
    expect(comments.get(OLD_STORY) == [], f"story #{OLD_STORY}, tagged only before the push, has no comment")


def github_depth_note(depth):
    return "fetch-depth: 0, whole history" if depth == 0 else f"fetch-depth: {depth}"


def case_github_push(world, sim, count, depth, check_summary=False):
    before = world.tip()
    commits = world.push_new_commits(range(201, 201 + count))
    after = commits[-1][0]
    log(f"  pushed {count} commit(s) {before[:12]}..{after[:12]} to main")
    workspace = world.checkout_like_github("workspace", after, depth)
    log(f"  checkout like actions/checkout ({github_depth_note(depth)}): {world.depth(workspace)} commit(s) in the clone")
    run = ActionRun(world, workspace, sim, github_event(before, after), {"tracker-url": sim.api, "token": TOKEN})
    status, output = run.run()
    expect(status == 0, f"the action's steps exit 0 (got {status})")
    key = run.outputs.get("prepare", {}).get("key", "")
    expect(key.startswith("commitbridge-bin-"), f"the prepare step gave actions/cache a key ({key})")
    check_posted_exactly(sim, commits)
    if check_summary:
        with open(run.summary) as handle:
            summary = handle.read()
        log("  GITHUB_STEP_SUMMARY:")
        log(indented(summary))
        rows = [line for line in summary.splitlines() if line.startswith("|")]
        expect(len(rows) >= 3, "the step summary holds a Markdown table (a header, a rule, rows)")
        expect(str(count) in summary, f"the step summary mentions {count} commit(s)")
    log("  re-run of the job (a fresh checkout and state): nothing new may reach Tracker")
    again = world.checkout_like_github("workspace-rerun", after, depth)
    status, _ = ActionRun(world, again, sim, github_event(before, after), {"tracker-url": sim.api, "token": TOKEN}).run()
    expect(status == 0, f"the re-run exits 0 (got {status})")
    check_posted_exactly(sim, commits)


def case_github_dry_run(world, sim, depth):
    before = world.tip()
    commits = world.push_new_commits([201, 202])
    after = commits[-1][0]
    log(f"  pushed 2 commits {before[:12]}..{after[:12]} to main")
    workspace = world.checkout_like_github("workspace", after, depth)
    log(f"  checkout like actions/checkout ({github_depth_note(depth)}); input dry-run: true")
    run = ActionRun(world, workspace, sim, github_event(before, after),
                    {"tracker-url": sim.api, "token": TOKEN, "dry-run": "true"})
    status, output = run.run()
    expect(status == 0, f"the action's steps exit 0 (got {status})")
    expect("ci --dry-run" in output, "the action ran commitbridge ci --dry-run")
    for sha, _ in commits:
        expect(sha[:7] in output, f"the dry run shows commit {sha[:7]}")
    stats = sim.stats()
    log(f"  tracker-sim stats: {json.dumps(stats, sort_keys=True)}")
    expect(stats["source_commits"] == 0, "nothing was posted")


def case_github_branch_filter(world, sim):
    before = world.tip()
    commits = world.push_new_commits([201])
    after = commits[-1][0]
    workspace = world.checkout_like_github("workspace", after, 0)
    # A file the glob would match if the shell expanded it.
    os.makedirs(os.path.join(workspace, "release"))
    open(os.path.join(workspace, "release", "notes"), "w").close()
    log(f"  pushed 1 commit {before[:12]}..{after[:12]} to main; input branches: 'release/*, hotfix-*'")
    run = ActionRun(world, workspace, sim, github_event(before, after),
                    {"tracker-url": sim.api, "token": TOKEN, "branches": "release/*, hotfix-*"})
    status, output = run.run()
    expect(status == 0, f"the action's steps exit 0 (got {status})")
    expect("ci --branch release/* --branch hotfix-*" in output, "each glob became one --branch, unexpanded")
    expect("nothing to post" in output, "commitbridge left main out")
    expect(sim.stats()["source_commits"] == 0, "nothing was posted")


def gitlab_variables(sim, before, after, token=True):
    variables = {"CI_COMMIT_BEFORE_SHA": before, "CI_COMMIT_SHA": after, "CI_COMMIT_BRANCH": "main",
                 "CI_COMMIT_REF_NAME": "main", "TRACKER_URL": sim.api}
    if token:
        variables["TRACKER_TOKEN"] = TOKEN
    return variables


def case_gitlab_push(world, sim, count, depth):
    workspace = world.clone_like_gitlab("builds", depth)
    before = world.tip()
    commits = world.push_new_commits(range(201, 201 + count))
    after = commits[-1][0]
    log(f"  pushed {count} commit(s) {before[:12]}..{after[:12]} to main")
    world.fetch_like_gitlab(workspace, after, depth)
    log(f"  build directory fetched like GitLab (GIT_DEPTH {depth}): {world.depth(workspace)} commit(s) in the clone")
    variables = gitlab_variables(sim, before, after)
    status, _ = TemplateRun(world, workspace, sim, variables).run()
    expect(status == 0, f"the job exits 0 (got {status})")
    check_posted_exactly(sim, commits)
    log("  re-run of the pipeline on a new runner (a fresh clone and state): nothing new may reach Tracker")
    again = world.clone_like_gitlab("builds-rerun", depth)
    world.fetch_like_gitlab(again, after, depth)
    status, _ = TemplateRun(world, again, sim, variables).run()
    expect(status == 0, f"the re-run exits 0 (got {status})")
    check_posted_exactly(sim, commits)


def case_gitlab_dry_run_offline(world, sim, depth):
    workspace = world.clone_like_gitlab("builds", depth)
    before = world.tip()
    commits = world.push_new_commits(range(201, 204))
    after = commits[-1][0]
    world.fetch_like_gitlab(workspace, after, depth)
    log(f"  pushed 3 commits {before[:12]}..{after[:12]}; GIT_DEPTH {depth}, no TRACKER_TOKEN, COMMITBRIDGE_DRY_RUN=true")
    variables = gitlab_variables(sim, before, after, token=False)
    variables["COMMITBRIDGE_DRY_RUN"] = "true"
    status, output = TemplateRun(world, workspace, sim, variables).run()
    expect(status == 0, f"the job exits 0 (got {status})")
    expect("--offline" in output, "the template added --offline for a dry run without a token")
    for sha, _ in commits:
        expect(sha[:7] in output, f"the dry run shows commit {sha[:7]}")
    stats = sim.stats()
    log(f"  tracker-sim stats: {json.dumps(stats, sort_keys=True)}")
    expect(stats["requests"] == 0, "Tracker was asked nothing")


# name -> (what it needs of `commitbridge ci`, what it does, the case). "ci today" runs with the
# `ci` of before the shallow-clone work; the others need the named feature of the new `ci`.
CASES = {
    "github-full-history-push-5": ("ci today", "GitHub push of 5 commits, fetch-depth: 0",
                                   lambda w, s: case_github_push(w, s, 5, depth=0)),
    "gitlab-full-history-push-5": ("ci today", "GitLab push of 5 commits, GIT_DEPTH 0",
                                   lambda w, s: case_gitlab_push(w, s, 5, depth=0)),
    "github-dry-run": ("ci today", "GitHub push of 2 commits, fetch-depth: 0, dry-run: true; nothing posted",
                       lambda w, s: case_github_dry_run(w, s, depth=0)),
    "github-branch-filter": ("ci today", "GitHub push to main with branches: 'release/*, hotfix-*'; nothing posted",
                             case_github_branch_filter),
    "gitlab-push-5": ("ci today", "GitLab push of 5 commits, GitLab's default GIT_DEPTH 20",
                      lambda w, s: case_gitlab_push(w, s, 5, depth=20)),
    "github-push-1": ("shallow ci", "GitHub push of 1 commit, actions/checkout's default depth 1",
                      lambda w, s: case_github_push(w, s, 1, depth=1)),
    "github-push-5": ("shallow ci", "GitHub push of 5 commits, depth 1 (ci deepens the clone)",
                      lambda w, s: case_github_push(w, s, 5, depth=1)),
    "gitlab-push-5-same-second": ("shallow ci", "as gitlab-push-5, every commit made in the same second",
                                  lambda w, s: case_gitlab_push(w, s, 5, depth=20)),
    "github-step-summary": ("ci step summary", "GitHub push of 2 commits, fetch-depth: 0; the step summary holds a table",
                            lambda w, s: case_github_push(w, s, 2, depth=0, check_summary=True)),
    "gitlab-dry-run-offline": ("ci --offline", "GitLab dry run without a token, GIT_DEPTH 0; Tracker asked nothing",
                               lambda w, s: case_gitlab_dry_run_offline(w, s, depth=0)),
}


def run_case(name, bin_dir, keep):
    needs, description, function = CASES[name]
    log(f"=== {name}: {description} (needs: {needs})")
    root = tempfile.mkdtemp(prefix=f"cibridge-{name}-")
    sim = None
    started = time.monotonic()
    try:
        world = World(root, bin_dir, same_second=name.endswith("-same-second"))
        sim = TrackerSim(bin_dir, root, [OLD_STORY] + list(range(201, 211)))
        log(f"  tracker-sim at {sim.api}; server repository {world.server}")
        function(world, sim)
        log(f"=== {name}: PASS ({time.monotonic() - started:.1f} s)")
        return True
    except Failure as failure:
        log(f"  FAILED: {failure}")
        log(f"=== {name}: FAIL ({time.monotonic() - started:.1f} s)")
        return False
    except Exception as error:  # a harness problem, not the files': still a failure
        log(f"  ERROR: {type(error).__name__}: {error}")
        log(f"=== {name}: FAIL ({time.monotonic() - started:.1f} s)")
        return False
    finally:
        if sim:
            sim.stop()
        if keep:
            log(f"  kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def cross_check_with_pyyaml():
    """Where PyYAML happens to be installed, the subset reader must agree with it."""
    try:
        import yaml  # noqa: F401  (optional; the CI machine has only the standard library)
    except ImportError:
        return
    for path in (ACTION, TEMPLATE):
        with open(path, encoding="utf-8") as handle:
            theirs = yaml.safe_load(handle)
        if read_yaml(path) != theirs:
            raise SystemExit(f"harness: the subset reader and PyYAML disagree about {path}")
    log("the subset reader agrees with PyYAML on both files")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", help="directory holding prebuilt commitbridge and tracker-sim")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="run only this case (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--keep", action="store_true", help="keep each case's temporary directory")
    arguments = parser.parse_args()
    if arguments.list:
        for name, (needs, description, _) in CASES.items():
            print(f"{name:24} needs {needs:16} {description}")
        return 0
    if not arguments.bin:
        parser.error("--bin DIR is required")
    bin_dir = os.path.abspath(arguments.bin)
    for program in ("commitbridge", "tracker-sim"):
        if not os.access(os.path.join(bin_dir, program), os.X_OK):
            parser.error(f"no executable {program} in {bin_dir}")
    read_yaml(ACTION), read_yaml(TEMPLATE)
    cross_check_with_pyyaml()
    names = arguments.case or list(CASES)
    results = {name: run_case(name, bin_dir, arguments.keep) for name in names}
    log("")
    for name, passed in results.items():
        log(f"{'PASS' if passed else 'FAIL'}  {name}")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
