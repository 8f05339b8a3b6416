import Foundation
import TestSupport
import XCTest

/// doctor as a preflight check: it passes for each documented set-up (husky, lefthook, pre-commit,
/// a CI runner), names where each setting came from, and gives each problem its fix on the next line.
/// lefthook and pre-commit are the real tools from PyPI (`.ci/run` installs them).
final class DoctorPreflightTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func setUp(_ repo: GitSandbox) throws -> TrackerSimProcess {
        let sim = try TrackerSimProcess(fixtures: #"{"projects":[{"id":1,"name":"D"}],"stories":[]}"#, token: token, directory: repo.root)
        try repo.commit("start")
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", token])
        try repo.git(["commit-graph", "write", "--reachable"])
        return sim
    }

    private func doctor(_ repo: GitSandbox, _ extra: [String] = [], environment: [String: String] = [:]) throws -> ProcessResult {
        try CommitBridgeBinary.run(["doctor"] + extra, sandbox: repo, environment: environment)
    }

    /// Each PROBLEM line is followed by its `fix:` line.
    private func assertFixesFollowProblems(_ output: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = output.split(separator: "\n").map(String.init)
        for (index, text) in lines.enumerated() where text.hasPrefix("PROBLEM") {
            XCTAssertTrue(index + 1 < lines.count && lines[index + 1].trimmingCharacters(in: .whitespaces).hasPrefix("fix: "),
                          "no fix after: \(text)", file: file, line: line)
        }
    }

    private func tool(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") + ["/root/.pyenv/shims", "/usr/local/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw XCTSkip("\(name) is not installed (pip install \(name))")
    }

    func testHuskyHooksThatRunCommitbridgePass() throws {
        let repo = try GitSandbox()
        let sim = try setUp(repo)
        defer { withExtendedLifetime(sim) {} }
        try FileManager.default.createDirectory(atPath: repo.path + "/.husky", withIntermediateDirectories: true)
        let lines = ["post-commit": "commitbridge hook post-commit", "pre-push": "commitbridge hook pre-push \"$@\"",
                     "commit-msg": "commitbridge hook commit-msg \"$1\""]
        for (hook, line) in lines {
            try "#!/bin/sh\n\(line)\n".write(toFile: repo.path + "/.husky/" + hook, atomically: true, encoding: .utf8)
            chmod(repo.path + "/.husky/" + hook, 0o755)
        }
        try repo.git(["add", ".husky"])
        try repo.commit("husky hooks")
        try repo.git(["config", "core.hooksPath", ".husky"])
        let good = try doctor(repo)
        XCTAssertEqual(good.status, 0, good.out)
        XCTAssertTrue(good.out.contains("ok       post-commit hook runs commitbridge through husky (.husky/post-commit)"), good.out)
        XCTAssertTrue(good.out.contains("ok       pre-push hook runs commitbridge through husky (.husky/pre-push)"), good.out)

        try "#!/bin/sh\nnpm test\n".write(toFile: repo.path + "/.husky/pre-push", atomically: true, encoding: .utf8)
        let missing = try doctor(repo)
        XCTAssertEqual(missing.status, 2, missing.out)
        XCTAssertTrue(missing.out.contains("PROBLEM  pre-push hook: husky (.husky/) manages this repository's hooks, and its pre-push hook does not run commitbridge"), missing.out)
        XCTAssertTrue(missing.out.contains("fix: add the line 'commitbridge hook pre-push \"$@\"' to .husky/pre-push"), missing.out)
        assertFixesFollowProblems(missing.out)
    }

    func testLefthookAndPreCommitSetUpsPass() throws {
        let lefthook = try tool("lefthook")
        let preCommit = try tool("pre-commit")
        let repo = try GitSandbox()
        let sim = try setUp(repo)
        defer { withExtendedLifetime(sim) {} }
        try """
            post-commit:
              commands:
                commitbridge:
                  run: commitbridge hook post-commit
            pre-push:
              commands:
                commitbridge:
                  run: commitbridge hook pre-push {1} {2}
                  use_stdin: true
            commit-msg:
              commands:
                commitbridge:
                  run: commitbridge hook commit-msg {1}

            """.write(toFile: repo.path + "/lefthook.yml", atomically: true, encoding: .utf8)
        let before = try doctor(repo)
        XCTAssertEqual(before.status, 2, before.out)
        XCTAssertTrue(before.out.contains("git has no post-commit hook (the manager's hooks are not installed)"), before.out)
        XCTAssertTrue(before.out.contains("fix: run 'lefthook install'"), before.out)
        let installed = try ProcessRunner.run(lefthook, ["install"], directory: repo.path, environment: repo.environment)
        XCTAssertEqual(installed.status, 0, installed.err)
        let after = try doctor(repo)
        XCTAssertEqual(after.status, 0, after.out)
        XCTAssertTrue(after.out.contains("post-commit hook runs commitbridge through lefthook (lefthook.yml)"), after.out)

        let other = try GitSandbox()
        let otherSim = try setUp(other)
        defer { withExtendedLifetime(otherSim) {} }
        try other.git(["config", "commitbridge.postOn", "commit"])
        try """
            repos:
              - repo: local
                hooks:
                  - id: commitbridge-commit-msg
                    name: commitbridge tag check
                    entry: commitbridge-commit-msg
                    language: system
                    stages: [commit-msg]
                  - id: commitbridge-post-commit
                    name: commitbridge post
                    entry: commitbridge hook post-commit
                    language: system
                    stages: [post-commit]
                    always_run: true
                    pass_filenames: false

            """.write(toFile: other.path + "/.pre-commit-config.yaml", atomically: true, encoding: .utf8)
        let hooked = try ProcessRunner.run(preCommit, ["install", "--hook-type", "commit-msg", "--hook-type", "post-commit"],
                                           directory: other.path, environment: other.environment)
        XCTAssertEqual(hooked.status, 0, hooked.err + hooked.out)
        let result = try doctor(other)
        XCTAssertEqual(result.status, 0, result.out)
        XCTAssertTrue(result.out.contains("commit-msg hook runs commitbridge through pre-commit (.pre-commit-config.yaml)"), result.out)
        XCTAssertTrue(result.out.contains("pre-push hook not needed (commitbridge.postOn = commit)"), result.out)
    }

    func testACIRunnerWithoutHooksPassesAndJSONSaysSo() throws {
        let repo = try GitSandbox()
        let sim = try setUp(repo)
        defer { withExtendedLifetime(sim) {} }
        let local = try doctor(repo)
        XCTAssertEqual(local.status, 2, local.out)
        XCTAssertTrue(local.out.contains("PROBLEM  post-commit hook not installed"), local.out)
        assertFixesFollowProblems(local.out)
        let quiet = try doctor(repo, ["--quiet"])
        XCTAssertEqual(quiet.status, 2)
        let quietLines = quiet.out.split(separator: "\n")
        XCTAssertFalse(quietLines.isEmpty)
        XCTAssertTrue(quietLines.allSatisfy { $0.hasPrefix("PROBLEM") || $0.hasPrefix("         fix: ") }, quiet.out)

        let ci = try doctor(repo, ["--json"], environment: ["CI": "true"])
        XCTAssertEqual(ci.status, 0, ci.out + ci.err)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ci.out.utf8)) as? [String: Any], ci.out)
        XCTAssertEqual(document["ok"] as? Bool, true)
        let checks = try XCTUnwrap(document["checks"] as? [[String: Any]])
        XCTAssertTrue(checks.contains { ($0["level"] as? String) == "note" && ($0["text"] as? String ?? "").hasPrefix("post-commit hook not installed: as expected on a CI runner") }, "\(checks)")
        XCTAssertFalse(checks.contains { ($0["level"] as? String) == "problem" })
        XCTAssertFalse(ci.out.contains(token))

        let failing = try doctor(repo, ["--json"])
        XCTAssertEqual(failing.status, 2)
        let failed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(failing.out.utf8)) as? [String: Any], failing.out)
        XCTAssertEqual(failed["ok"] as? Bool, false)
    }

    /// Each setting names its origin: the flag, the variable, or the config file and line; a token
    /// file others can read is the problem, and `chmod 600` its fix.
    func testOriginsAndTheTokenFileProblemAndFix() throws {
        let repo = try GitSandbox()
        let sim = try setUp(repo)
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], sandbox: repo).status, 0)
        let fromConfig = try doctor(repo)
        XCTAssertEqual(fromConfig.status, 0, fromConfig.out)
        let config = repo.path + "/.git/config"
        let lines = try String(contentsOfFile: config, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let urlLine = try XCTUnwrap(lines.firstIndex { $0.contains("trackerUrl") }) + 1
        XCTAssertTrue(fromConfig.out.contains("tracker URL \(sim.apiURL) (from git config commitbridge.trackerUrl, \(config):\(urlLine))"), fromConfig.out)
        XCTAssertTrue(fromConfig.out.contains("token set (from git config commitbridge.token, \(config):"), fromConfig.out)

        let fromVariable = try doctor(repo, [], environment: ["TRACKER_URL": sim.apiURL])
        XCTAssertTrue(fromVariable.out.contains("(from the TRACKER_URL variable)"), fromVariable.out)
        let fromFlag = try doctor(repo, ["--tracker-url", sim.apiURL])
        XCTAssertTrue(fromFlag.out.contains("(from the --tracker-url flag)"), fromFlag.out)

        let file = try repo.writeFile("token", Data(token.utf8))
        chmod(file, 0o644)
        let exposed = try doctor(repo, ["--token-file", file])
        XCTAssertEqual(exposed.status, 2, exposed.out)
        XCTAssertTrue(exposed.out.contains("PROBLEM  token file '\(file)' can be read by other users (mode 644)\n         fix: run 'chmod 600 \(file)'"), exposed.out)
        XCTAssertFalse(exposed.out.contains(token))
    }

    /// `install` into a hooks folder the team tracks in git: the team's own hook stays in place with
    /// commitbridge's lines added at its end, new hooks name no path of this machine, a real commit
    /// runs them, and `uninstall` gives the team's file back as it was.
    func testInstallIntoATrackedHooksFolderKeepsTheTeamsFiles() throws {
        let repo = try GitSandbox()
        let sim = try setUp(repo)
        defer { withExtendedLifetime(sim) {} }
        try repo.git(["config", "core.hooksPath", ".husky"])
        try FileManager.default.createDirectory(atPath: repo.path + "/.husky", withIntermediateDirectories: true)
        let teams = "#!/bin/sh\necho team hook ran >> \"$(git rev-parse --git-dir)/team.log\"\n"
        try teams.write(toFile: repo.path + "/.husky/post-commit", atomically: true, encoding: .utf8)
        chmod(repo.path + "/.husky/post-commit", 0o755)
        try repo.git(["add", ".husky"])
        try repo.commit("the team's hook")

        let install = try CommitBridgeBinary.run(["install"], sandbox: repo)
        XCTAssertEqual(install.status, 0, install.err)
        XCTAssertTrue(install.out.contains("post-commit: commitbridge's lines added at the end of the shared hook"), install.out)
        let listing = try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.husky").sorted()
        XCTAssertEqual(listing, ["commit-msg", "post-commit", "pre-push"])
        let binaryDirectory = (CommitBridgeBinary.path as NSString).deletingLastPathComponent
        for name in listing {
            let text = try String(contentsOfFile: repo.path + "/.husky/" + name, encoding: .utf8)
            XCTAssertFalse(text.contains(binaryDirectory), "\(name) names this machine's binary")
        }
        let postCommit = try String(contentsOfFile: repo.path + "/.husky/post-commit", encoding: .utf8)
        XCTAssertTrue(postCommit.hasPrefix(teams), postCommit)
        // The team's file modified in place; the two new hooks new files; nothing renamed or deleted.
        let changes = try repo.git(["status", "--porcelain", "--untracked-files=all"]).split(separator: "\n").map(String.init)
        XCTAssertEqual(changes.compactMap { $0.split(separator: " ").last.map(String.init) }.sorted(), [".husky/commit-msg", ".husky/post-commit", ".husky/pre-push"], "\(changes)")
        XCTAssertFalse(changes.contains { $0.contains("D") || $0.hasPrefix("R") }, "\(changes)")

        // A real commit with commitbridge on PATH runs both: the team's line and commitbridge's.
        repo.extraEnvironment["PATH"] = binaryDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        try repo.commit("[#1] through the shared hook")
        let deadline = Date().addingTimeInterval(10)
        var status = ""
        while Date() < deadline {
            status = try CommitBridgeBinary.run(["status"], sandbox: repo).out
            if status.contains("queue: 1 commit waiting") { break }
            usleep(100_000)
        }
        XCTAssertTrue(status.contains("queue: 1 commit waiting (1 of them for a push)"), status)
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo.path + "/.git/team.log"))

        let uninstall = try CommitBridgeBinary.run(["uninstall"], sandbox: repo)
        XCTAssertEqual(uninstall.status, 0, uninstall.err)
        XCTAssertEqual(try String(contentsOfFile: repo.path + "/.husky/post-commit", encoding: .utf8), teams)
        XCTAssertEqual(try repo.git(["status", "--porcelain"]), "")
    }
}
