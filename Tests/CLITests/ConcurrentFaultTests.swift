import Foundation
import TestSupport
import XCTest

/// Faults around a delivery: two replays at once, a hook during a replay, Tracker
/// restarted mid-replay, and the disk filling up under the ledger. Afterwards every commit is on
/// Tracker exactly once.
final class ConcurrentFaultTests: XCTestCase {
    private let token = "fault-token-29d8c1"

    private func replay(_ repo: GitSandbox, _ range: String, _ url: String) throws -> ProcessResult {
        try CommitBridgeBinary.run(["replay", range, "--tracker-url", url], sandbox: repo, environment: ["TRACKER_TOKEN": token])
    }

    /// Flushes while commits stay queued (exit 1), at most 5 times; returns the last result.
    private func flushUntilDone(_ repo: GitSandbox, _ url: String) throws -> ProcessResult {
        var result = try CommitBridgeBinary.run(["flush", "--tracker-url", url], sandbox: repo, environment: ["TRACKER_TOKEN": token])
        var rounds = 0
        while result.status == 1 && rounds < 5 {
            rounds += 1
            result = try CommitBridgeBinary.run(["flush", "--tracker-url", url], sandbox: repo, environment: ["TRACKER_TOKEN": token])
        }
        return result
    }

    /// Runs each closure on its own thread, all at once, and returns their results in order.
    private func together(_ runs: [() throws -> ProcessResult]) -> [Result<ProcessResult, Error>] {
        let work = UncheckedBox(runs)
        let results = UncheckedBox([Result<ProcessResult, Error>?](repeating: nil, count: runs.count))
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: runs.count) { index in
            let result = Result { try work.value[index]() }
            lock.lock()
            results.value[index] = result
            lock.unlock()
        }
        return results.value.map { $0! }
    }

    func testTwoReplaysOfOverlappingRangesAtOncePostEachCommitOnce() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 120, stories: 300...309)
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 300...309), token: token,
                                        directory: repo.root, arguments: ["--latency-ms", "5"])
        let results = together([
            { try self.replay(repo, "HEAD~40", sim.apiURL) },       // commits 0...79
            { try self.replay(repo, "HEAD~80..HEAD", sim.apiURL) }, // commits 40...119
        ])
        for result in results {
            let run = try result.get()
            XCTAssertEqual(run.status, 0, run.err)
            XCTAssertFalse(run.err.contains("Fatal error"), run.err)
        }
        XCTAssertEqual(try sim.stats()["source_commits"], 120)
        try history.assertEachDeliveredOnce(to: sim)
    }

    func testAPostCommitHookDuringAReplayPostsNothingTwice() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        var history = try TaggedHistory(repo, count: 100, stories: 400...404)
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 400...404), token: token,
                                        directory: repo.root, arguments: ["--latency-ms", "100"])
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", token])
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], sandbox: repo).status, 0)

        let replayEnded = UncheckedBox(Date.distantFuture)
        let firstHookCommit = UncheckedBox(Date.distantPast)
        let results = together([
            {
                let result = try CommitBridgeBinary.run(["replay", "HEAD"], sandbox: repo)
                replayEnded.value = Date()
                return result
            },
            {
                // Three commits while the replay posts; their hooks queue and deliver in the background.
                var made: [String] = []
                for number in 0..<3 {
                    usleep(100_000)
                    made.append(try repo.commit("during the replay \(number) [#\(400 + number)]"))
                    if number == 0 { firstHookCommit.value = Date() }
                }
                return ProcessResult(status: 0, stdout: Data(made.joined(separator: "\n").utf8), stderr: Data())
            },
        ])
        let replayRun = try results[0].get()
        XCTAssertEqual(replayRun.status, 0, replayRun.err)
        let made = try results[1].get().out.split(separator: "\n").map(String.init)
        XCTAssertEqual(made.count, 3)
        XCTAssertLessThan(firstHookCommit.value, replayEnded.value, "the premise: a hook ran while the replay was posting")
        // The hooks' deliveries run detached: wait for all 103 (20 s at most), then flush what is left.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try sim.stats()["source_commits"] ?? 0) < 103 { usleep(100_000) }
        XCTAssertEqual(try flushUntilDone(repo, sim.apiURL).status, 0)
        history = history.adding(zip(made, [400, 401, 402]).map { (sha: $0.0, story: Int64($0.1)) })
        try history.assertEachDeliveredOnce(to: sim)
    }

    func testTrackerRestartedDuringAReplayLosesAndDuplicatesNothing() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 150, stories: 500...514)
        let state = repo.root + "/tracker-state.json"
        let fixtures = TaggedHistory.fixtures(stories: 500...514)
        let first = try TrackerSimProcess(fixtures: fixtures, token: token, directory: repo.root,
                                          arguments: ["--latency-ms", "20", "--state", state])
        let port = String(first.origin.split(separator: ":").last!)
        let url = first.apiURL
        var restarted: TrackerSimProcess?
        let postsBeforeTheStop = UncheckedBox(0)
        let results = together([
            { try self.replay(repo, "HEAD", url) },
            {
                // Stop Tracker once some commits are in, and bring it back on the same port a second later.
                let deadline = Date().addingTimeInterval(20)
                while Date() < deadline, (try first.stats()["source_commits"] ?? 0) < 20 { usleep(20_000) }
                postsBeforeTheStop.value = try first.stats()["source_commits"] ?? 0
                first.stop()
                usleep(1_000_000)
                restarted = try TrackerSimProcess(fixtures: fixtures, token: self.token, directory: repo.root,
                                                  arguments: ["--latency-ms", "20", "--state", state, "--port", port])
                return ProcessResult(status: 0, stdout: Data(), stderr: Data())
            },
        ])
        let run = try results[0].get()
        _ = try results[1].get()
        XCTAssertTrue([0, 1].contains(run.status), run.err)
        XCTAssertFalse(run.err.contains("Fatal error"), run.err)
        let sim = try XCTUnwrap(restarted)
        // The premise: Tracker went away in the middle of the replay, not after it.
        XCTAssertGreaterThanOrEqual(postsBeforeTheStop.value, 20)
        XCTAssertLessThan(postsBeforeTheStop.value, 150)
        XCTAssertEqual(try flushUntilDone(repo, sim.apiURL).status, 0)
        try history.assertEachDeliveredOnce(to: sim)
    }

    /// A real full disk: the state directory on a 160 KiB tmpfs (root can mount one; elsewhere the
    /// test is skipped), grown to 8 MiB afterwards as a user would free space.
    func testARealFullDiskUnderTheStateDirectoryLosesAndDuplicatesNothing() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 200, stories: 700...709)
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 700...709), token: token, directory: repo.root)
        let state = repo.root + "/small-disk"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let mounted = try ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=160k", "tmpfs", state])
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mounted.err)") }
        defer { _ = try? ProcessRunner.run("/bin/umount", [state]) }

        let environment = ["TRACKER_TOKEN": token, "COMMITBRIDGE_STATE_DIR": state]
        let full = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", sim.apiURL], sandbox: repo, environment: environment)
        assertNoCrash(full, "full disk")
        XCTAssertTrue([1, 2].contains(full.status), full.err)
        XCTAssertTrue(full.err.contains("full") || full.err.contains("disk"), full.err)
        XCTAssertEqual(full.err.split(separator: "\n").filter { $0.hasPrefix("commitbridge: ") }.count, 1, full.err)

        XCTAssertEqual(try ProcessRunner.run("/bin/mount", ["-o", "remount,size=8m", state]).status, 0)
        let again = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", sim.apiURL], sandbox: repo, environment: environment)
        XCTAssertTrue([0, 1].contains(again.status), again.err)
        var last = again
        for _ in 0..<5 where last.status == 1 {
            last = try CommitBridgeBinary.run(["flush", "--tracker-url", sim.apiURL], sandbox: repo, environment: environment)
        }
        XCTAssertEqual(last.status, 0, last.err)
        let files = try FileManager.default.contentsOfDirectory(atPath: state)
        XCTAssertFalse(files.contains { $0.contains(".corrupt-") }, "a full disk is not damage: \(files)")
        try history.assertEachDeliveredOnce(to: sim)
    }

    /// The file-size limit (`ulimit -f`, with SIGXFSZ ignored) makes every write past it fail the
    /// way a full disk does. Several limits hit the database at different moments: while opening,
    /// while queueing, while recording deliveries.
    func testAFullDiskWhileWritingTheLedgerLosesAndDuplicatesNothing() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 60, stories: 600...605)
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 600...605), token: token, directory: repo.root)
        var env = repo.environment
        env["TRACKER_TOKEN"] = token
        var hitTheLimit = 0
        for blocks in [8, 64, 96, 128, 192, 256, 320] {   // 512-byte blocks
            let command = "ulimit -f \(blocks); trap '' XFSZ; exec \"$0\" replay HEAD --tracker-url \"$1\""
            let result = try ProcessRunner.run("/bin/sh", ["-c", command, CommitBridgeBinary.path, sim.apiURL],
                                               directory: repo.path, environment: env)
            XCTAssertTrue([0, 1, 2].contains(result.status), "limit \(blocks): \(result.status) \(result.err)")
            assertNoCrash(result, "limit \(blocks)")
            if result.err.contains("could not be written") || result.err.contains("cannot open the state directory") {
                hitTheLimit += 1
            }
        }
        XCTAssertGreaterThan(hitTheLimit, 0, "at least one limit must have made a write fail")
        let files = try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/commitbridge")
        XCTAssertFalse(files.contains { $0.contains(".corrupt-") }, "a full disk is not damage: \(files)")
        // Space again: everything is delivered, once.
        let result = try replay(repo, "HEAD", sim.apiURL)
        XCTAssertTrue([0, 1].contains(result.status), result.err)
        XCTAssertEqual(try flushUntilDone(repo, sim.apiURL).status, 0)
        try history.assertEachDeliveredOnce(to: sim)
    }
}

/// Hands a value to threads that the test itself keeps apart (a lock, or reading only).
private final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
