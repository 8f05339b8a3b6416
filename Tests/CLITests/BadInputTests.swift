import Foundation
import TestSupport
import XCTest

/// Repositories, messages and settings that are broken or odd: one clear line and the
/// documented exit code, or a correct result; never a crash.
final class BadInputTests: XCTestCase {
    func testACorruptCommitObjectIsOneLineAndExitThree() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let middle = try repo.commit("two [#2]")
        try repo.commit("three [#3]")
        let object = repo.path + "/.git/objects/" + middle.prefix(2) + "/" + middle.dropFirst(2)
        XCTAssertEqual(chmod(object, 0o644), 0)
        try Data("this is not zlib data".utf8).write(to: URL(fileURLWithPath: object))

        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], sandbox: repo)
        assertOneLineError(result, status: 3, contains: "HEAD")
        XCTAssertEqual(result.err.split(separator: "\n").count, 1, result.err)
    }

    func testAShallowCloneIsWalkedAsGitDoesAndARangePastItsEdgeSaysHowToDeepen() throws {
        let repo = try GitSandbox()
        for number in 1...5 { try repo.commit("change \(number) [#\(number)]") }
        let clone = repo.root + "/shallow"
        try repo.git(["clone", "-q", "--depth", "2", "file://" + repo.path, clone], in: repo.root)
        // The clone's shallow commit has no parents, as git sees it: its two commits are listed.
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"], in: clone, sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.outLines.count, 2, result.out)
        XCTAssertTrue(result.err.contains("scanned 2 commits"), result.err)
        // A revision past the edge is not in the clone: one line saying how to fetch more.
        let pastTheEdge = try CommitBridgeBinary.run(["replay", "HEAD~3..HEAD", "--dry-run"], in: clone, sandbox: repo)
        assertOneLineError(pastTheEdge, status: 3, contains: "HEAD~3")
        assertOneLineError(pastTheEdge, status: 3, contains: "git fetch --deepen")
    }

    func testAnUnbornHeadSaysTheBranchHasNoCommits() throws {
        let repo = try GitSandbox()
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], sandbox: repo)
        // An empty repository exits 3 (a revision problem), naming the revision and saying why.
        assertOneLineError(result, status: 3, contains: "has no commits yet")
        assertOneLineError(result, status: 3, contains: "'HEAD'")
    }

    /// A commit object written byte by byte: invalid UTF-8 and a NUL in the message and in the
    /// author's name, which `git commit` would not make but a repository can hold.
    func testInvalidUTF8AndNULBytesInMessagesAndNamesArePostedAsValidJSON() throws {
        let repo = try GitSandbox()
        let parent = try repo.commit("base")
        let tree = try repo.git(["rev-parse", "HEAD^{tree}"])
        var raw = Data("tree \(tree)\nparent \(parent)\n".utf8)
        raw += Data("author Ren".utf8) + Data([0xE9, 0x00]) + Data("Zed <r@example.com> 1700000000 +0000\n".utf8)
        raw += Data("committer Ren".utf8) + Data([0xE9]) + Data(" <r@example.com> 1700000000 +0000\n\n".utf8)
        raw += Data("Odd bytes ".utf8) + Data([0xFF, 0xFE]) + Data(" [#77]".utf8) + Data([0x00])
        raw += Data(" after a NUL [finishes #78]\n".utf8)
        let file = try repo.writeFile("odd-commit", raw)
        let sha = try repo.git(["hash-object", "-t", "commit", "-w", "--literally", file])
        try repo.git(["update-ref", "refs/heads/main", sha])

        let result = try CommitBridgeBinary.run(["replay", "HEAD^..HEAD", "--dry-run", "--json"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.out)
        let object = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any]
        XCTAssertEqual(object?["commit"] as? String, sha)
        let payload = (object?["payload"] as? [String: Any])?["source_commit"] as? [String: Any]
        let message = payload?["message"] as? String ?? ""
        XCTAssertTrue(message.contains("Odd bytes \u{FFFD}"), message)
        XCTAssertTrue(message.contains("[#77]"), message)
        let author = payload?["author"] as? String ?? ""
        XCTAssertTrue(author.hasPrefix("Ren\u{FFFD}"), author)
        // The message ends at its first NUL, as `git log` shows it: the group after it is not read.
        XCTAssertFalse(message.contains("after a NUL"), message)
        let stories = (object?["references"] as? [[String: Any]])?.compactMap { ($0["story"] as? NSNumber)?.int64Value }
        XCTAssertEqual(stories, [77], result.out)
    }

    func testATenMegabyteMessageIsShortenedKeepingEveryTagGroup() throws {
        let repo = try GitSandbox()
        let filler = String(repeating: "0123456789abcdef ", count: 64) + "\n"   // about 1 KB a line
        var message = "Huge change [#501]\n\n"
        for line in 0..<10_240 {
            message += filler
            if line == 5_000 { message += "middle [finishes #502]\n" }
        }
        message += "end [#503 delivers]\n"
        XCTAssertGreaterThan(message.utf8.count, 10_000_000)
        let file = try repo.writeFile("huge-message", Data(message.utf8))
        try repo.gitCommitting(["commit", "-q", "--allow-empty", "-F", file])

        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        let posted = ((object?["payload"] as? [String: Any])?["source_commit"] as? [String: Any])?["message"] as? String ?? ""
        XCTAssertLessThanOrEqual(posted.count, 20_000)
        for group in ["[#501]", "[finishes #502]", "[#503 delivers]"] {
            XCTAssertTrue(posted.contains(group), "\(group) lost")
        }
        let actions = (object?["references"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
        XCTAssertEqual(actions, ["mention", "finish", "deliver"])
    }

    func testAMalformedGitConfigValueNamesItsSource() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        try repo.git(["config", "commitbridge.trackerUrl", "htps://typo.example.com"])
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], sandbox: repo)
        assertOneLineError(result, status: 2, contains: "(from git config)")
    }

    /// `replay <range>` in a one-commit repository, with a state directory that cannot be made
    /// (even root cannot make a directory under /proc).
    private func replayWithUnmakeableStateDirectory(_ range: String) throws -> ProcessResult {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        return try CommitBridgeBinary.run(
            ["replay", range, "--tracker-url", "http://127.0.0.1:9/services/v5", "--state-dir", "/proc/commitbridge-state"],
            sandbox: repo, environment: ["TRACKER_TOKEN": "t0ken-for-state-test"])
    }

    func testAStateDirectoryThatCannotBeMadeIsOneLineAndExitTwo() throws {
        let result = try replayWithUnmakeableStateDirectory("HEAD")
        assertOneLineError(result, status: 2, contains: "/proc/commitbridge-state")
        XCTAssertFalse(result.err.contains("t0ken-for-state-test"))
    }

    func testAStateDirectoryProblemIsReportedBeforeABadRange() throws {
        // The database opens while the range is walked; its error still comes first, as it did
        // when the database was opened before the walk.
        let result = try replayWithUnmakeableStateDirectory("no-such-revision")
        assertOneLineError(result, status: 2, contains: "/proc/commitbridge-state")
        XCTAssertFalse(result.err.contains("no-such-revision"), result.err)
    }

    func testACorruptStateDatabaseIsMovedAsideWithAWarningThatSaysHowToRequeue() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let state = repo.root + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: state + "/commitbridge.sqlite"))

        let result = try CommitBridgeBinary.run(["status", "--state-dir", state], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        let warnings = result.err.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        XCTAssertEqual(warnings.count, 1, result.err)
        XCTAssertTrue(warnings.first?.contains("commitbridge replay") ?? false, result.err)
        let kept = try FileManager.default.contentsOfDirectory(atPath: state).filter { $0.contains(".corrupt-") }
        XCTAssertEqual(kept.count, 1, "the damaged file is kept for the user")
        XCTAssertTrue(result.out.contains("\nqueue: 0 commits"), result.out)
    }

    func testEscapeSequencesInASubjectDoNotReachTheTerminal() throws {
        let repo = try GitSandbox()
        try repo.commit("Retitle \u{1B}]0;owned\u{07}\u{1B}[2J [#9]")
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Retitle"), result.out)
        XCTAssertFalse(result.stdout.contains(0x1B), result.out)
        XCTAssertFalse(result.stdout.contains(0x07), result.out)
    }

    /// A state database that cannot be written: made immutable with `chattr +i`, which stops root
    /// too (skipped where the file system has no such attribute). One line, nothing moved aside, and
    /// once it is writable again the commit goes.
    func testAStateDatabaseThatCannotBeWrittenIsOneLineAndIsNotMovedAside() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let state = repo.root + "/state"
        let environment = ["TRACKER_TOKEN": "t0ken-readonly", "COMMITBRIDGE_STATE_DIR": state,
                           "TRACKER_URL": "http://127.0.0.1:9/services/v5"]
        XCTAssertEqual(try CommitBridgeBinary.run(["status"], sandbox: repo, environment: environment).status, 0)
        let databases = try FileManager.default.contentsOfDirectory(atPath: state).filter { $0.hasSuffix(".sqlite") }
        XCTAssertEqual(databases.count, 1, "\(databases)")
        let database = state + "/" + (databases.first ?? "none")
        let locked = try ProcessRunner.run("/usr/bin/env", ["chattr", "+i", database])
        guard locked.status == 0 else { throw XCTSkip("chattr +i is not supported here: \(locked.err)") }
        defer { _ = try? ProcessRunner.run("/usr/bin/env", ["chattr", "-i", database]) }

        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", "http://127.0.0.1:9/services/v5"],
                                                sandbox: repo, environment: environment)
        assertNoCrash(result)
        XCTAssertTrue([1, 2].contains(result.status), result.err)
        let errors = result.err.split(separator: "\n").filter { $0.hasPrefix("commitbridge: ") }
        XCTAssertEqual(errors.count, 1, result.err)
        XCTAssertTrue(errors.first?.contains("readonly") ?? false, result.err)
        XCTAssertFalse(result.err.contains("t0ken-readonly"))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: state).contains { $0.contains(".corrupt-") })

        XCTAssertEqual(try ProcessRunner.run("/usr/bin/env", ["chattr", "-i", database]).status, 0)
        let queued = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", "http://127.0.0.1:9/services/v5"],
                                                sandbox: repo, environment: environment)
        XCTAssertEqual(queued.status, 1, "queued, Tracker being down: \(queued.err)")
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo, environment: environment)
        XCTAssertTrue(status.out.contains("\nqueue: 1 commit"), status.out)
    }
}
