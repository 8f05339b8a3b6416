import Foundation
import TestSupport
import XCTest

/// A hook never waits on a busy state database and never loses a commit: what it cannot queue at
/// once it keeps in the spill file, and the next run queues it. The real binary, real git
/// repositories, tracker-sim on 127.0.0.1, and a second process (python3's sqlite3) holding the
/// database's write lock.
final class HookSpillTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func fixtures(_ ids: ClosedRange<Int64>) -> String {
        let list = ids.map { #"{"id":\#($0),"project_id":7,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        return #"{"projects":[{"id":7,"name":"Spill"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    /// The state database of `stateDirectory` (created by running `status` first): the one
    /// `*.sqlite` file there.
    private func database(in stateDirectory: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: stateDirectory).filter { $0.hasSuffix(".sqlite") }
        XCTAssertEqual(names.count, 1, "\(names)")
        return stateDirectory + "/" + (names.first ?? "missing.sqlite")
    }

    /// The spill file of the state directory (one a tracker URL; these tests use one tracker).
    private func spillPath(_ stateDirectory: String) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory)) ?? []
        return stateDirectory + "/" + (names.first { $0.hasPrefix("spill-") && $0.hasSuffix(".jsonl") } ?? "no-spill-file")
    }

    private func spillText(_ stateDirectory: String) -> String {
        (try? String(contentsOfFile: spillPath(stateDirectory), encoding: .utf8)) ?? ""
    }

    /// Polls `condition` every 0.1 s, 20 s at most; returns its last answer.
    private func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<200 {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    func testPostCommitWithTheDatabaseLockedKeepsTheCommitAndFlushPostsItOnce() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let sim = try TrackerSimProcess(fixtures: fixtures(1...3), token: token, directory: repo.root)
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", token])
        let state = repo.path + "/.git/commitbridge"
        XCTAssertEqual(try CommitBridgeBinary.run(["status"], sandbox: repo).status, 0)
        let sha = try repo.commit("locked out [#1]")

        let holder = try DatabaseLockHolder(database: try database(in: state), directory: repo.root)
        let hook = try CommitBridgeBinary.run(["hook", "post-commit", "--foreground"], sandbox: repo)
        XCTAssertEqual(hook.status, 0, hook.err)
        XCTAssertTrue(hook.err.contains("kept in \(spillPath(state))"), hook.err)
        XCTAssertTrue(hook.err.contains("will be queued by the next commitbridge run"), hook.err)
        XCTAssertFalse(hook.err.lowercased().contains("lost"), hook.err)
        XCTAssertEqual(hook.err.split(separator: "\n").count, 1, hook.err)
        XCTAssertTrue(spillText(state).contains(#""sha":"\#(sha)""#), spillText(state))
        var status = stat()
        XCTAssertEqual(stat(spillPath(state), &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
        XCTAssertEqual(try sim.stats()["source_commits"], 0)
        holder.release()

        let flush = try CommitBridgeBinary.run(["flush"], sandbox: repo)
        XCTAssertEqual(flush.status, 0, flush.err)
        XCTAssertEqual(try sim.commitIdentifiers(project: 7, story: 1), [sha])
        XCTAssertEqual(spillText(state), "", "the spill file was taken in")
        let again = try CommitBridgeBinary.run(["flush"], sandbox: repo)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try sim.stats()["source_commits"], 1)
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)
    }

    func testInstalledPostCommitWithTheDatabaseLockedLogsTheSpillAndStatusTakesItIn() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let sim = try TrackerSimProcess(fixtures: fixtures(1...3), token: token, directory: repo.root)
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", token])
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], sandbox: repo).status, 0)
        let state = repo.path + "/.git/commitbridge"
        XCTAssertEqual(try CommitBridgeBinary.run(["status"], sandbox: repo).status, 0)

        let holder = try DatabaseLockHolder(database: try database(in: state), directory: repo.root)
        let first = try repo.commit("one [#1]")
        let second = try repo.commit("two [#2]")
        // The hook runs in the background: wait for both commits to be kept (20 s at most).
        XCTAssertTrue(eventually { spillText(state).contains(first) && spillText(state).contains(second) }, spillText(state))
        let log = (try? String(contentsOfFile: state + "/delivery.log", encoding: .utf8)) ?? ""
        XCTAssertTrue(log.contains("commit \(first.prefix(7)) was kept in \(spillPath(state))"), log)
        XCTAssertEqual(spillText(state).split(separator: "\n").count, 2, spillText(state))
        holder.release()

        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("queue: 2 commits waiting"), status.out + status.err)
        XCTAssertEqual(spillText(state), "")
        XCTAssertEqual(try CommitBridgeBinary.run(["flush"], sandbox: repo).status, 0)
        XCTAssertEqual(try sim.commitIdentifiers(project: 7, story: 1), [first])
        XCTAssertEqual(try sim.commitIdentifiers(project: 7, story: 2), [second])
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)
    }

    func testInstalledPostReceiveWithTheDatabaseLockedKeepsThePushedCommits() throws {
        let work = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures(1...5), token: token, directory: work.root)
        let bare = work.root + "/shared.git"
        try work.git(["init", "-q", "--bare", "-b", "main", bare], in: work.root)
        try work.git(["config", "commitbridge.trackerUrl", sim.apiURL], in: bare)
        try work.git(["config", "commitbridge.token", token], in: bare)
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], in: bare, sandbox: work).status, 0)
        XCTAssertEqual(try CommitBridgeBinary.run(["status"], in: bare, sandbox: work).status, 0)
        try work.git(["remote", "add", "origin", bare])
        let state = bare + "/commitbridge"

        let a = try work.commit("a [#1]")
        let b = try work.commit("b [#2]")
        let holder = try DatabaseLockHolder(database: try database(in: state), directory: work.root)
        let push = try ProcessRunner.run("/usr/bin/git", ["push", "origin", "main"], directory: work.path, environment: work.environment)
        XCTAssertEqual(push.status, 0, push.err)
        XCTAssertTrue(push.err.contains("2 commits were kept in \(spillPath(state))"), push.err)
        XCTAssertTrue(spillText(state).contains(a) && spillText(state).contains(b), spillText(state))
        holder.release()

        let flush = try CommitBridgeBinary.run(["flush"], in: bare, sandbox: work)
        XCTAssertEqual(flush.status, 0, flush.err)
        XCTAssertEqual(try sim.commitIdentifiers(project: 7, story: 1), [a])
        XCTAssertEqual(try sim.commitIdentifiers(project: 7, story: 2), [b])
        XCTAssertEqual(spillText(state), "")
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)
    }

    /// Neither the database nor the spill file can be written: post-receive names the replay to run.
    func testPostReceiveThatCanKeepNothingPrintsTheReplay() throws {
        let work = try GitSandbox()
        let bare = work.root + "/shared.git"
        try work.git(["init", "-q", "--bare", "-b", "main", bare], in: work.root)
        try work.git(["config", "commitbridge.trackerUrl", "http://127.0.0.1:9/services/v5"], in: bare)
        try work.git(["config", "commitbridge.token", token], in: bare)
        let base = try work.commit("base")
        try work.git(["push", "-q", bare, "main"])
        let pushed = try work.commit("pushed [#1]")
        try work.git(["push", "-q", bare, "main"])
        // A state directory that is a file cannot hold a database or a spill file.
        let blocked = work.root + "/not-a-directory"
        try "x".write(toFile: blocked, atomically: true, encoding: .utf8)

        let result = try CommitBridgeBinary.run(["hook", "post-receive", "--state-dir", blocked], in: bare,
                                                stdin: "\(base) \(pushed) refs/heads/main\n", sandbox: work,
                                                environment: ["GIT_DIR": bare])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("run 'commitbridge replay \(base)..\(pushed)' to post it"), result.err)
        XCTAssertEqual(result.err.split(separator: "\n").count, 1, result.err)
        let strict = try CommitBridgeBinary.run(["hook", "post-receive", "--strict", "--state-dir", blocked], in: bare,
                                                stdin: "\(base) \(pushed) refs/heads/main\n", sandbox: work,
                                                environment: ["GIT_DIR": bare])
        XCTAssertEqual(strict.status, 2, strict.err)
        XCTAssertTrue(strict.err.contains("commitbridge replay \(base)..\(pushed)"), strict.err)
    }

    /// A slow Tracker and five commits in a row through the installed hook: one background delivery
    /// at a time takes them all, and each is posted once.
    func testOneBackgroundDeliveryAtATimeTakesEveryCommit() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let sim = try TrackerSimProcess(fixtures: fixtures(1...5), token: token, directory: repo.root,
                                        arguments: ["--latency-ms", "400"])
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", token])
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], sandbox: repo).status, 0)

        var shas: [String] = []
        var most = 0
        for story in 1...5 {
            shas.append(try repo.commit("step \(story) [#\(story)]"))
            most = max(most, BackgroundFlushes.count(mentioning: repo.root))
        }
        // Watch until all five are posted and no background delivery is left (60 s at most).
        let deadline = Date().addingTimeInterval(60)
        var posted = 0
        while Date() < deadline {
            let running = BackgroundFlushes.count(mentioning: repo.root)
            most = max(most, running)
            posted = try sim.stats()["source_commits"] ?? 0
            if posted >= 5 && running == 0 { break }
            usleep(50_000)
        }
        XCTAssertLessThanOrEqual(most, 1, "background deliveries running at once")
        XCTAssertGreaterThanOrEqual(most, 1, "a background delivery was seen")
        XCTAssertEqual(posted, 5)
        for (index, sha) in shas.enumerated() {
            XCTAssertEqual(try sim.commitIdentifiers(project: 7, story: Int64(index + 1)), [sha], "story \(index + 1)")
        }
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("queue: 0 commits waiting"), status.out)
    }

    /// The running background delivery waits for `deliver.lock` (held by the test, as a long
    /// `flush` would): the hooks of four more commits start no second one, and when the lock is
    /// free that one delivery posts every commit once.
    func testHooksWhileABackgroundDeliveryWaitsStartNoSecondOne() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let sim = try TrackerSimProcess(fixtures: fixtures(1...5), token: token, directory: repo.root)
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", token])
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], sandbox: repo).status, 0)
        XCTAssertEqual(try CommitBridgeBinary.run(["status"], sandbox: repo).status, 0)
        let deliverLock = open(repo.path + "/.git/commitbridge/deliver.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(deliverLock, 0)
        XCTAssertEqual(flock(deliverLock, LOCK_EX), 0)
        var released = false
        defer { if !released { close(deliverLock) } }

        let shas = try (1...5).map { try repo.commit("waiting \($0) [#\($0)]") }
        XCTAssertTrue(try eventually {
            try CommitBridgeBinary.run(["status"], sandbox: repo).out.contains("queue: 5 commits waiting")
        })
        XCTAssertTrue(eventually { BackgroundFlushes.count(mentioning: repo.root) >= 1 })
        var most = 0
        for _ in 0..<10 {
            most = max(most, BackgroundFlushes.count(mentioning: repo.root))
            usleep(100_000)
        }
        XCTAssertEqual(most, 1, "background deliveries while the first one waits")
        XCTAssertEqual(try sim.stats()["source_commits"], 0)

        close(deliverLock)
        released = true
        XCTAssertTrue(try eventually {
            try sim.stats()["source_commits"] == 5 && BackgroundFlushes.count(mentioning: repo.root) == 0
        })
        for (index, sha) in shas.enumerated() {
            XCTAssertEqual(try sim.commitIdentifiers(project: 7, story: Int64(index + 1)), [sha], "story \(index + 1)")
        }
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)
    }
}

/// Holds the write lock of an SQLite database from another process (python3's sqlite3 module,
/// `BEGIN EXCLUSIVE`) until `release()`.
final class DatabaseLockHolder {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(database: String, directory: String) throws {
        let script = """
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            connection.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.read()
            connection.execute("ROLLBACK")
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, database]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // python3 prints one line once it holds the lock, or exits (closing the pipe) if it cannot.
        let line = String(decoding: output.fileHandleForReading.readData(ofLength: 7), as: UTF8.self)
        guard line.hasPrefix("locked") else {
            release()
            throw HolderError.notLocked(line)
        }
    }

    enum HolderError: Error {
        case notLocked(String)
    }

    /// Lets go of the lock and waits for the holder to end.
    func release() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
    }

    deinit {
        release()
    }
}

/// `commitbridge flush` processes of one test, found in /proc by their command lines.
enum BackgroundFlushes {
    /// How many `commitbridge flush` processes have `text` (the test's sandbox) in their arguments or
    /// their working directory (a hook's background delivery takes its settings on stdin, so only
    /// its working directory, the hook's, names the sandbox).
    static func count(mentioning text: String) -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var count = 0
        for entry in entries where Int32(entry) != nil {
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let program = arguments.first, program.hasSuffix("/commitbridge"),
                  arguments.dropFirst().first == "flush",
                  arguments.contains(where: { $0.contains(text) })
                    || ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"))?.contains(text) ?? false)
            else { continue }
            count += 1
        }
        return count
    }
}
