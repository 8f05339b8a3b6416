import Foundation
import TestSupport
import XCTest

/// `commitbridge hook …` run as git runs it, against tracker-sim on 127.0.0.1.
final class HookCommandTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func fixtures(_ ids: [Int64]) -> String {
        let list = ids.map { #"{"id":\#($0),"project_id":5,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        return #"{"projects":[{"id":5,"name":"Hooks"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    /// Polls the simulator until `source_commits` reaches `count` (at most 15 s).
    private func waitForPosts(_ sim: TrackerSimProcess, _ count: Int) throws -> Int {
        let deadline = Date().addingTimeInterval(15)
        var seen = 0
        while Date() < deadline {
            seen = try sim.stats()["source_commits"] ?? 0
            if seen >= count { return seen }
            usleep(100_000)
        }
        return seen
    }

    func testPostCommitDeliversInTheBackground() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let sim = try TrackerSimProcess(fixtures: fixtures([1, 2]), token: token, directory: repo.root)
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", token])
        let sha = try repo.commit("work [Fixes #1]")
        let result = try CommitBridgeBinary.run(["hook", "post-commit"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try waitForPosts(sim, 1), 1)
        XCTAssertEqual(try sim.commitIdentifiers(project: 5, story: 1), [sha])
        // An untagged commit queues nothing and posts nothing.
        try repo.commit("plain")
        XCTAssertEqual(try CommitBridgeBinary.run(["hook", "post-commit", "--foreground"], sandbox: repo).status, 0)
        XCTAssertEqual(try sim.stats()["source_commits"], 1)
    }

    /// Every setting a hook is given reaches the background delivery it starts: the hook hands its
    /// whole configuration over, not a command line rebuilt option by option.
    func testSettingsGivenToAHookReachItsBackgroundDelivery() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let sim = try TrackerSimProcess(fixtures: fixtures([1]), token: token, directory: repo.root)
        let tokenFile = try repo.writeFile("token", Data(token.utf8))
        chmod(tokenFile, 0o600)
        let state = repo.root + "/elsewhere/state"
        let sha = try repo.commit("work [Fixes #1]")
        // Nothing in git config or the environment: the flags are the only source of each setting.
        let result = try CommitBridgeBinary.run(
            ["hook", "post-commit", "--tracker-url", sim.apiURL, "--token-file", tokenFile, "--state-dir", state,
             "--timeout", "7", "--concurrency", "3", "--cache-ttl", "42", "--retry-missing"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try waitForPosts(sim, 1), 1, "the tracker URL and the token reached the background delivery")
        XCTAssertEqual(try sim.commitIdentifiers(project: 5, story: 1), [sha])
        let log = try String(contentsOfFile: state + "/delivery.log", encoding: .utf8)
        XCTAssertTrue(log.contains("background delivery to \(sim.apiURL), state directory \(state), concurrency 3, timeout 7 s, cache TTL 42 s, asking again about missing stories"), log)
        XCTAssertFalse(log.contains(token), log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.path + "/.git/commitbridge"), "the default state directory stays unused")
    }

    func testPostCommitWithServerDownExitsZeroAndKeepsTheCommit() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        try repo.git(["config", "commitbridge.trackerUrl", "http://127.0.0.1:9/services/v5"])
        try repo.git(["config", "commitbridge.token", token])
        try repo.commit("work [#1]")
        let result = try CommitBridgeBinary.run(["hook", "post-commit", "--foreground"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        let strict = try CommitBridgeBinary.run(["hook", "post-commit", "--foreground", "--strict"], sandbox: repo)
        XCTAssertEqual(strict.status, 1, strict.err)
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("queue: 1 commit waiting"), status.out)
        XCTAssertFalse(status.out.contains(token) || result.err.contains(token))
    }

    func testPostReceiveQueuesWhatThePushBrought() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures([10, 11, 12]), token: token, directory: repo.root)
        let base = try repo.commit("base [#10]")
        let bare = repo.root + "/shared.git"
        try repo.git(["clone", "-q", "--bare", repo.path, bare], in: repo.root)
        let first = try repo.commit("first [#11]")
        let second = try repo.commit("second [Fixes #11]")
        let input = "\(base) \(second) refs/heads/main\n"
        let result = try CommitBridgeBinary.run(["hook", "post-receive", "--foreground", "--tracker-url", sim.apiURL],
                                                in: bare, stdin: input, sandbox: repo,
                                                environment: ["TRACKER_TOKEN": token, "GIT_DIR": bare])
        XCTAssertEqual(result.status, 0, result.err)
        // The commits are not in the bare repository yet (no real push happened): nothing is queued.
        XCTAssertEqual(try sim.stats()["source_commits"], 0)
        try repo.git(["push", "-q", bare, "main"])
        let after = try CommitBridgeBinary.run(["hook", "post-receive", "--foreground", "--tracker-url", sim.apiURL],
                                               in: bare, stdin: input, sandbox: repo,
                                               environment: ["TRACKER_TOKEN": token, "GIT_DIR": bare])
        XCTAssertEqual(after.status, 0, after.err)
        XCTAssertEqual(try sim.commitIdentifiers(project: 5, story: 11), [first, second])
        XCTAssertEqual(try sim.commitIdentifiers(project: 5, story: 10), [], "base was there before the push")
    }

    func testCommitMsgWarnsAndStrictRefuses() throws {
        let repo = try GitSandbox()
        let file = try repo.writeFile("MSG", Data("Fix login [finsihes #12]\n# Please enter the commit message\n# Fixes #99\n".utf8))
        let result = try CommitBridgeBinary.run(["hook", "commit-msg", file], sandbox: repo)
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("did you mean 'finishes'"), result.err)
        XCTAssertFalse(result.err.contains("#99"), "comment lines are not part of the message: \(result.err)")
        let strict = try CommitBridgeBinary.run(["hook", "commit-msg", file, "--strict"], sandbox: repo)
        XCTAssertEqual(strict.status, 1)
        let clean = try repo.writeFile("CLEAN", Data("Fix login [Finishes #12]\n".utf8))
        let ok = try CommitBridgeBinary.run(["hook", "commit-msg", clean, "--strict"], sandbox: repo)
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertEqual(ok.err, "")
    }

    /// The installed commit-msg hook prefers the small binary; it must say and decide exactly what
    /// `commitbridge hook commit-msg` says and decides.
    func testSmallCommitMsgBinaryMatchesTheHookCommand() throws {
        let repo = try GitSandbox()
        let small = BuiltProducts.executable("commitbridge-commit-msg")
        let messages = [
            "Fix login [finsihes #12]\n# Please enter the commit message\n# Fixes #99\n",
            "Fix login [Finishes #12]\n",
            "Closes #4 and [# 5] and [Fixes#6]\n\nbody [#7 deliverd]\n",
            "plain message\n",
            "tag below the scissors\n# ------------------------ >8 ------------------------\n[finsihes #1]\n",
            "bad bytes \u{FFFD} [#12 finshes]\n",
        ]
        for (index, message) in messages.enumerated() {
            let file = try repo.writeFile("MSG\(index)", Data(message.utf8))
            for flags in [[], ["--strict"]] {
                let expected = try CommitBridgeBinary.run(["hook", "commit-msg", file] + flags, sandbox: repo)
                let actual = try ProcessRunner.run(small, [file] + flags, directory: repo.path)
                XCTAssertEqual(actual.status, expected.status, "\(message) \(flags)")
                XCTAssertEqual(actual.err, expected.err, "\(message) \(flags)")
                XCTAssertEqual(actual.out, "")
            }
        }
        let missing = repo.root + "/no-such-file"
        let expected = try CommitBridgeBinary.run(["hook", "commit-msg", missing, "--strict"], sandbox: repo)
        let actual = try ProcessRunner.run(small, [missing, "--strict"], directory: repo.path)
        XCTAssertEqual(actual.status, 1)
        XCTAssertEqual(actual.status, expected.status)
        XCTAssertEqual(actual.err, expected.err)
        let usage = try ProcessRunner.run(small, [], directory: repo.path)
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.err.hasPrefix("commitbridge-commit-msg: usage:"), usage.err)
    }
}

extension HookCommandTests {
    func testRebaseDoesNotPostRewrittenCommits() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.trackerUrl", "http://127.0.0.1:9/services/v5"])
        try repo.git(["config", "commitbridge.token", token])
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "topic"])
        try repo.commit("topic work [#5]", file: "topic.txt")
        try repo.git(["checkout", "-q", "main"])
        try repo.commit("main moves on", file: "main.txt")
        try repo.git(["checkout", "-q", "topic"])
        XCTAssertEqual(try CommitBridgeBinary.run(["install", "--post-commit"], sandbox: repo).status, 0)
        // The hook waits for commitbridge, so that what it queued is there when git returns.
        repo.extraEnvironment["COMMITBRIDGE_HOOK_FOREGROUND"] = "1"
        try repo.gitCommitting(["rebase", "-q", "main"])
        XCTAssertTrue(try repo.git(["log", "--format=%s", "-1"]).contains("topic work"), "the rebase rewrote the tagged commit")
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("queue: 0 commits waiting"), status.out)
        // A plain commit afterwards is posted as usual.
        try repo.commit("after the rebase [#6]")
        let after = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(after.out.contains("queue: 1 commit waiting"), after.out)
    }
}
