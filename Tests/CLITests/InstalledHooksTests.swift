import Foundation
import TestSupport
import XCTest

/// End to end: `commitbridge install`, then real `git commit` and `git push`, with tracker-sim on 127.0.0.1.
final class InstalledHooksTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func fixtures(_ ids: ClosedRange<Int64>) -> String {
        let list = ids.map { #"{"id":\#($0),"project_id":3,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        return #"{"projects":[{"id":3,"name":"Hooks"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    /// Polls until `source_commits` reaches `count` and stays there for a moment (at most 20 s).
    private func settle(_ sim: TrackerSimProcess, at count: Int) throws -> Int {
        let deadline = Date().addingTimeInterval(20)
        var seen = -1
        while Date() < deadline {
            seen = try sim.stats()["source_commits"] ?? 0
            if seen >= count {
                usleep(300_000)
                return try sim.stats()["source_commits"] ?? 0
            }
            usleep(100_000)
        }
        return seen
    }

    /// Waits until `status` shows `queued` commits waiting and no background delivery holds the
    /// state directory's `flusher.lock`, three looks in a row 0.2 s apart (30 s at most).
    private func waitForIdleBackgroundDelivery(_ repo: GitSandbox, queued: Int) -> Bool {
        let lockFile = repo.path + "/.git/commitbridge/flusher.lock"
        var free = 0
        for _ in 0..<150 {
            let status = try? CommitBridgeBinary.run(["status"], sandbox: repo)
            let descriptor = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            let unlocked = descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0
            if descriptor >= 0 { close(descriptor) }
            // Each tracker URL has its own queue; status lists them all.
            let waiting = (status?.out ?? "").split(separator: "\n").filter { $0.hasPrefix("queue: ") }
                .compactMap { Int($0.dropFirst("queue: ".count).prefix { $0.isNumber }) }.reduce(0, +)
            free = unlocked && waiting == queued ? free + 1 : 0
            if free == 3 { return true }
            usleep(200_000)
        }
        return false
    }

    private func configure(_ repo: GitSandbox, _ sim: TrackerSimProcess, directory: String? = nil) throws {
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL], in: directory)
        try repo.git(["config", "commitbridge.token", token], in: directory)
    }

    /// `install`, `doctor` and `uninstall` write the built-in scripts to a temporary folder for the
    /// installer to read; the folder must go once the command is done.
    func testInstallDoctorAndUninstallLeaveNothingInTheTemporaryDirectory() throws {
        let repo = try GitSandbox()
        try repo.commit("first")
        let temporary = repo.root + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        for command in [["install"], ["doctor"], ["uninstall"]] {
            let result = try CommitBridgeBinary.run(command, sandbox: repo, environment: ["TMPDIR": temporary])
            if command == ["doctor"] {
                XCTAssertTrue(result.out.contains("post-commit hook installed"), result.out + result.err)
            } else {
                XCTAssertEqual(result.status, 0, result.err)
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [], "after \(command[0])")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.path + "/.git/hooks/post-commit"))
    }

    func testPostCommitWithAnExistingHookOfItsOwn() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let sim = try TrackerSimProcess(fixtures: fixtures(1...3), token: token, directory: repo.root)
        try configure(repo, sim)
        let marker = repo.root + "/old-hook-ran"
        let oldHook = "#!/bin/sh\necho ran >> '\(marker)'\n"
        let hookPath = repo.path + "/.git/hooks/post-commit"
        try oldHook.write(toFile: hookPath, atomically: true, encoding: .utf8)
        chmod(hookPath, 0o755)

        let install = try CommitBridgeBinary.run(["install"], sandbox: repo)
        XCTAssertEqual(install.status, 0, install.err)
        let again = try CommitBridgeBinary.run(["install"], sandbox: repo)
        XCTAssertEqual(again.status, 0, again.err)

        let first = try repo.commit("one [#1]")
        let second = try repo.commit("two [Fixes #2]")
        try repo.commit("untagged")
        XCTAssertEqual(try settle(sim, at: 2), 2)
        XCTAssertEqual(try sim.commitIdentifiers(project: 3, story: 1), [first])
        XCTAssertEqual(try sim.commitIdentifiers(project: 3, story: 2), [second])
        XCTAssertEqual(try String(contentsOfFile: marker, encoding: .utf8), "ran\nran\nran\n", "the old hook still runs, once per commit")
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)

        let uninstall = try CommitBridgeBinary.run(["uninstall"], sandbox: repo)
        XCTAssertEqual(uninstall.status, 0, uninstall.err)
        XCTAssertEqual(try String(contentsOfFile: hookPath, encoding: .utf8), oldHook, "uninstall restores the old hook")
    }

    func testCommitSucceedsWhenTrackerIsDownOrSlowAndTheNextHookDelivers() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        try repo.git(["config", "commitbridge.trackerUrl", "http://127.0.0.1:9/services/v5"])
        try repo.git(["config", "commitbridge.token", token])
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], sandbox: repo).status, 0)
        // Connection refused: the commit succeeds (commit() throws otherwise) and the commit waits.
        let offline = try repo.commit("offline [#1]")
        // The hook queues in the background: wait for it (10 s at most).
        var status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        for _ in 0..<100 where !status.out.contains("queue: 1 commit waiting") {
            usleep(100_000)
            status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        }
        XCTAssertTrue(status.out.contains("queue: 1 commit waiting"), status.out)

        // A server that answers after 5 seconds: git commit does not wait for it.
        let slow = try TrackerSimProcess(fixtures: fixtures(1...3), token: token, directory: repo.root, arguments: ["--latency-ms", "5000"])
        try repo.git(["config", "commitbridge.trackerUrl", slow.apiURL])
        let second = try repo.commit("slow [#2]")
        // Every request to this server takes 5 s, so had git waited for the hook's delivery, the post
        // would be on the server by now; it is not: git commit returned first.
        XCTAssertEqual(try slow.stats()["source_commits"], 0, "git commit returned before Tracker answered")
        slow.stop()
        // One background delivery runs at a time, with the settings it started with; a hook that finds
        // one running leaves its commits to it. Let the one aimed at the stopped server finish first.
        XCTAssertTrue(waitForIdleBackgroundDelivery(repo, queued: 2))

        // The server is back: the next commit's hook delivers what waited.
        let sim = try TrackerSimProcess(fixtures: fixtures(1...3), token: token, directory: repo.root)
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.commit("untagged follow-up")
        XCTAssertEqual(try settle(sim, at: 2), 2)
        XCTAssertEqual(try sim.commitIdentifiers(project: 3, story: 1), [offline])
        XCTAssertEqual(try sim.commitIdentifiers(project: 3, story: 2), [second])
    }

    func testPushesIntoABareRepository() throws {
        let work = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures(10...30), token: token, directory: work.root)
        let bare = work.root + "/shared.git"
        try work.git(["init", "-q", "--bare", "-b", "main", bare], in: work.root)
        try work.git(["config", "commitbridge.trackerUrl", sim.apiURL], in: bare)
        try work.git(["config", "commitbridge.token", token], in: bare)
        let install = try CommitBridgeBinary.run(["install"], in: bare, sandbox: work)
        XCTAssertEqual(install.status, 0, install.err)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: bare + "/hooks/post-receive"))
        try work.git(["remote", "add", "origin", bare])

        // First push of main: every tagged commit.
        let a = try work.commit("a [#10]")
        let b = try work.commit("b [#11]")
        try work.git(["push", "-q", "origin", "main"])
        XCTAssertEqual(try settle(sim, at: 2), 2)

        // Fast-forward: only the new commit.
        let c = try work.commit("c [#12]")
        try work.git(["push", "-q", "origin", "main"])
        XCTAssertEqual(try settle(sim, at: 3), 3)

        // A new branch from an existing one: only the branch's own commits.
        try work.git(["checkout", "-q", "-b", "topic"])
        let d = try work.commit("d [#13]", file: "topic.txt")
        try work.git(["push", "-q", "origin", "topic"])
        XCTAssertEqual(try settle(sim, at: 4), 4)

        // Two branches in one push.
        let e = try work.commit("e [#14]", file: "topic.txt")
        try work.git(["checkout", "-q", "main"])
        let f = try work.commit("f [#15]")
        try work.git(["push", "-q", "origin", "main", "topic"])
        XCTAssertEqual(try settle(sim, at: 6), 6)

        // Force-push: the rewritten commit is new, the kept ones are not posted again.
        try work.git(["reset", "-q", "--hard", "HEAD~1"])
        let g = try work.commit("g [#16]")
        try work.git(["push", "-q", "--force", "origin", "main"])
        XCTAssertEqual(try settle(sim, at: 7), 7)

        // A tag and a branch deletion post nothing.
        try work.git(["tag", "-a", "v1", "-m", "release [#17]"])
        try work.git(["push", "-q", "origin", "v1"])
        try work.git(["push", "-q", "origin", "--delete", "topic"])
        usleep(1_000_000)
        XCTAssertEqual(try sim.stats()["source_commits"], 7)

        for (sha, story) in [(a, 10), (b, 11), (c, 12), (d, 13), (e, 14), (f, 15), (g, 16)] as [(String, Int64)] {
            XCTAssertEqual(try sim.commitIdentifiers(project: 3, story: story), [sha], "story \(story)")
        }
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)
    }
}
