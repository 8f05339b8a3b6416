import Foundation
import TestSupport
import XCTest

/// What users met in the field: a server that never finishes its answer, numbers a library cannot
/// represent, a damaged loose commit object, and a message that repeats one tag group 100,000 times.
/// Each ends with one line and the documented exit code, in bounded time, never with a crash.
final class FieldBoundsTests: XCTestCase {
    private let token = "field-bounds-token-7c2d"

    /// Runs commitbridge under `timeout -s KILL`, so that a hang ends the run (status 137) instead
    /// of the test; the bound is generous and no assertion is about elapsed time.
    private func runBounded(_ arguments: [String], _ repo: GitSandbox, seconds: Int = 240) throws -> ProcessResult {
        var env = repo.environment
        for key in env.keys where key.hasPrefix("TRACKER_") || key.hasPrefix("COMMITBRIDGE_") { env[key] = nil }
        env["TRACKER_TOKEN"] = token
        return try ProcessRunner.run("/usr/bin/timeout", ["-s", "KILL", String(seconds), CommitBridgeBinary.path] + arguments,
                                     directory: repo.path, environment: env)
    }

    /// The lines on stderr that are commitbridge's errors.
    private func errorLines(_ result: ProcessResult) -> [Substring] {
        result.err.split(separator: "\n").filter { $0.hasPrefix("commitbridge: ") }
    }

    // MARK: A body dribbled one byte a second

    func testABodyDribbledOneByteASecondTimesOutAndTheCommitStaysQueued() throws {
        let repo = try GitSandbox()
        try repo.commit("work [#41]")
        let server = try DribblingServer(directory: repo.root)
        let result = try runBounded(["replay", "HEAD", "--timeout", "1", "--tracker-url", server.origin + "/services/v5"], repo)
        assertNoCrash(result, "dribbled body")
        XCTAssertEqual(result.status, 1, "undelivered and queued: \(result.err)")
        XCTAssertTrue(result.err.contains("timed out"), result.err)
        XCTAssertFalse(result.err.contains(token))
        // Every attempt reached the server and was given up on; the retries are bounded.
        XCTAssertGreaterThan(server.requests, 0)
        XCTAssertLessThanOrEqual(server.requests, 6)
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("\nqueue: 1 commit"), status.out)
    }

    /// A POST whose answer never finishes may have been applied: before each retry the story's
    /// comments are read again (the commit is not on them here, so it is posted again), and after the
    /// last attempt the commit stays queued.
    func testAPostWhoseBodyIsDribbledIsAnUnknownOutcomeRetriedAfterACheck() throws {
        let repo = try GitSandbox()
        try repo.commit("work [#43]")
        let server = try DribblingServer(directory: repo.root, onlyPosts: true)
        let result = try runBounded(["replay", "HEAD", "--timeout", "1", "--tracker-url", server.origin + "/services/v5"], repo)
        assertNoCrash(result, "dribbled POST")
        XCTAssertEqual(result.status, 1, "undelivered and queued: \(result.err)")
        XCTAssertTrue(result.err.contains("timed out"), result.err)
        XCTAssertGreaterThan(server.posts, 1, "the POST is retried once the comments show it is still needed")
        XCTAssertLessThanOrEqual(server.posts, 6)
        XCTAssertGreaterThan(server.requests - server.posts, server.posts - 1, "each retry follows a fresh look at the comments")
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("\nqueue: 1 commit"), status.out)
    }

    // MARK: Numbers a library cannot represent

    func testPortsAndTimesOutOfRangeAreOneLineAndExitTwo() throws {
        let repo = try GitSandbox()
        try repo.commit("work [#42]")
        let cases: [([String], String)] = [
            (["--tracker-url", "http://127.0.0.1:70000/services/v5"], "port"),
            (["--tracker-url", "http://127.0.0.1:0/services/v5"], "port"),
            (["--tracker-url", "https://[::1]:99999/services/v5"], "port"),
            (["--tracker-url", "http://127.0.0.1:80x/services/v5"], "port"),
            (["--timeout", "inf"], "--timeout"),
            (["--timeout", "1e300"], "--timeout"),
            (["--timeout", "nan"], "--timeout"),
            (["--timeout", "0"], "--timeout"),
            (["--cache-ttl", "inf"], "--cache-ttl"),
            (["--cache-ttl", "nan"], "--cache-ttl"),
            (["--cache-ttl", "-1"], "--cache-ttl"),
        ]
        for (flags, phrase) in cases {
            var arguments = ["replay", "HEAD"] + flags
            if !flags.contains("--tracker-url") { arguments += ["--tracker-url", "http://127.0.0.1:9/services/v5"] }
            let result = try runBounded(arguments, repo, seconds: 60)
            let label = flags.joined(separator: " ")
            assertNoCrash(result, label)
            XCTAssertEqual(result.status, 2, "\(label): \(result.err)")
            XCTAssertEqual(errorLines(result).count, 1, "\(label): \(result.err)")
            XCTAssertTrue(errorLines(result).first?.contains(phrase) ?? false, "\(label): \(result.err)")
            XCTAssertEqual(result.out, "", label)
        }
        // The same URL from git config is refused the same way, even for a dry run.
        try repo.git(["config", "commitbridge.trackerUrl", "http://127.0.0.1:65536/services/v5"])
        let configured = try runBounded(["replay", "HEAD", "--dry-run"], repo, seconds: 60)
        assertOneLineError(configured, status: 2, contains: "port")
        // The limits themselves are taken.
        try repo.git(["config", "commitbridge.trackerUrl", "http://127.0.0.1:65535/services/v5"])
        let edge = try runBounded(["replay", "HEAD", "--dry-run", "--timeout", "3600", "--cache-ttl", "0"], repo, seconds: 60)
        XCTAssertEqual(edge.status, 0, edge.err)
    }

    // MARK: A damaged loose commit object

    /// Rewrites commit `sha`'s loose object with the same content under a header that says it is
    /// `claimed(contentLength)` bytes long (zlib-compressed, as git stores it). libgit2 1.5.1 aborted
    /// on a claim far below the content (heap corruption: exit 134, or SIGSEGV) and reported a broken
    /// stream for one a little below it.
    private func damage(_ sha: String, in repo: GitSandbox, claimed: (Int) -> Int = { $0 - 12 }) throws {
        let contentFile = repo.root + "/content-of-" + sha
        if !FileManager.default.fileExists(atPath: contentFile) {
            let content = try repo.git(["cat-file", "commit", sha]) + "\n"
            try Data(content.utf8).write(to: URL(fileURLWithPath: contentFile))
        }
        let length = try Data(contentsOf: URL(fileURLWithPath: contentFile)).count
        let object = repo.path + "/.git/objects/" + sha.prefix(2) + "/" + sha.dropFirst(2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: object), "the commit is a loose object")
        let script = """
            import sys, zlib
            content = open(sys.argv[1], "rb").read()
            open(sys.argv[2], "wb").write(zlib.compress(b"commit %d\\0" % int(sys.argv[3]) + content))
            """
        XCTAssertEqual(chmod(object, 0o644), 0)
        let written = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, contentFile, object, String(claimed(length))])
        XCTAssertEqual(written.status, 0, written.err)
    }

    func testADamagedLooseCommitIsOneLineNamingItAndExitThreeWhereverItIsRead() throws {
        let repo = try GitSandbox()
        for number in 1...4 { try repo.commit("change \(number) [#\(number)]") }
        let head = try repo.commit("change 5 [#5]")
        try damage(head, in: repo, claimed: { _ in 5 })
        for range in ["HEAD", "HEAD~3..HEAD", head, String(head.prefix(9)), "HEAD~2.." + String(head.prefix(7))] {
            for extra in [["--dry-run"], ["--dry-run", "--json"]] {
                let result = try runBounded(["replay", range] + extra, repo, seconds: 60)
                assertNoCrash(result, range)
                assertOneLineError(result, status: 3, contains: head)
                XCTAssertEqual(result.err.split(separator: "\n").count, 1, "\(range): \(result.err)")
                XCTAssertTrue(result.err.contains("damaged"), "\(range): \(result.err)")
            }
        }
        // The hooks: one line naming the object; git is not blocked unless --strict.
        for arguments in [["hook", "post-commit", "--foreground"], ["hook", "post-commit", "--commit", head, "--foreground"]] {
            let result = try runBounded(arguments, repo, seconds: 60)
            assertNoCrash(result, arguments.joined(separator: " "))
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertEqual(errorLines(result).count, 1, result.err)
            XCTAssertTrue(result.err.contains(head) && result.err.contains("damaged"), result.err)
            let strict = try runBounded(arguments + ["--strict"], repo, seconds: 60)
            assertNoCrash(strict, "strict")
            assertOneLineError(strict, status: 3, contains: head)
        }
        let received = try ProcessRunner.run(
            "/usr/bin/timeout", ["-s", "KILL", "60", CommitBridgeBinary.path, "hook", "post-receive", "--strict"],
            directory: repo.path, environment: repo.environment,
            stdin: Data("\(String(repeating: "0", count: 40)) \(head) refs/heads/topic\n".utf8))
        assertNoCrash(received, "post-receive with a new branch")
        assertOneLineError(received, status: 3, contains: head)
    }

    func testADamagedLooseCommitDeeperInTheRangeIsNamedToo() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let middle = try repo.commit("two [#2]")
        for number in 3...5 { try repo.commit("change \(number) [#\(number)]") }
        // Far and a little longer than its header says, and (the other way round) shorter.
        for claim in [{ (_: Int) in 0 }, { (_: Int) in 20 }, { $0 - 12 }, { $0 + 12 }] {
            try damage(middle, in: repo, claimed: claim)
            for range in ["HEAD", "HEAD~4..HEAD"] {
                let result = try runBounded(["replay", range, "--dry-run"], repo, seconds: 60)
                assertNoCrash(result, range)
                assertOneLineError(result, status: 3, contains: middle)
            }
        }
    }

    // MARK: One tag group repeated 100,000 times

    func testOneGroupRepeatedAHundredThousandTimesIsPostedOnceAndLookedUpOnce() throws {
        let repo = try GitSandbox()
        let message = "Many mentions\n\n" + String(repeating: "[#1001] ", count: 100_000) + "\n"
        let file = try repo.writeFile("repeated-message", Data(message.utf8))
        try repo.gitCommitting(["commit", "-q", "--allow-empty", "-F", file])

        let dryRun = try runBounded(["replay", "HEAD", "--dry-run", "--json"], repo, seconds: 120)
        XCTAssertEqual(dryRun.status, 0, dryRun.err)
        let object = try JSONSerialization.jsonObject(with: dryRun.stdout) as? [String: Any]
        let posted = ((object?["payload"] as? [String: Any])?["source_commit"] as? [String: Any])?["message"] as? String ?? ""
        XCTAssertLessThanOrEqual(posted.count, 20_000)
        XCTAssertLessThanOrEqual(posted.unicodeScalars.count, 20_000)
        XCTAssertEqual(posted.components(separatedBy: "[#1001]").count - 1, 1, String(posted.prefix(300)))
        XCTAssertTrue(posted.contains("message shortened"), String(posted.prefix(300)))
        XCTAssertTrue(posted.hasPrefix("Many mentions"), String(posted.prefix(300)))
        let stories = (object?["references"] as? [[String: Any]])?.compactMap { ($0["story"] as? NSNumber)?.int64Value }
        XCTAssertEqual(stories, [1001])

        let sim = try TrackerSimProcess(
            fixtures: #"{"projects":[{"id":5,"name":"P"}],"stories":[{"id":1001,"project_id":5,"story_type":"feature","current_state":"started","name":"S"}]}"#,
            token: token, directory: repo.root)
        let result = try runBounded(["replay", "HEAD", "--tracker-url", sim.apiURL], repo, seconds: 120)
        XCTAssertEqual(result.status, 0, result.err)
        let stats = try sim.stats()
        XCTAssertEqual(stats["story_lookups"], 1, "\(stats)")
        XCTAssertEqual(stats["source_commits"], 1, "\(stats)")
        XCTAssertEqual(try sim.commitIdentifiers(project: 5, story: 1001).count, 1)
    }
}
