import Foundation
import TestSupport
import XCTest

/// Posting on push, as a developer works: real commits, amends, rebases and cherry-picks in a clone
/// with commitbridge's hooks installed, real pushes to a bare repository over the file system, and
/// tracker-sim on 127.0.0.1 as Tracker.
final class PushWorkflowTests: XCTestCase {
    private let token = "sim-token-0123456789"

    /// A bare server, a clone of it with the hooks installed, and the simulator.
    private struct Setup {
        let sandbox: GitSandbox
        let sim: TrackerSimProcess
        let server: String
        let work: String

        var log: String { (try? String(contentsOfFile: work + "/.git/commitbridge/delivery.log", encoding: .utf8)) ?? "" }

        func git(_ arguments: [String], in directory: String? = nil) throws -> String {
            try sandbox.git(arguments, in: directory ?? work)
        }

        /// A commit changing its own file, so that rebases and cherry-picks never conflict.
        @discardableResult
        func commit(_ message: String, in directory: String? = nil) throws -> String {
            try sandbox.commit(message, file: "f\(UUID().uuidString.prefix(8)).txt", in: directory ?? work)
        }

        /// `git push`, which may be refused; true when git said it succeeded.
        @discardableResult
        func push(_ arguments: [String], in directory: String? = nil) throws -> Bool {
            let result = try ProcessRunner.run("/usr/bin/git", ["push", "-q"] + arguments, directory: directory ?? work,
                                               environment: sandbox.environment)
            return result.status == 0
        }

        /// A new clone of the server with the same tracker settings and an empty state directory.
        func freshClone(branch: String? = nil, token: String) throws -> String {
            let fresh = sandbox.root + "/fresh"
            try git(["clone", "-q"] + (branch.map { ["-b", $0] } ?? []) + [server, fresh], in: sandbox.root)
            try git(["config", "commitbridge.trackerUrl", sim.apiURL], in: fresh)
            try git(["config", "commitbridge.token", token], in: fresh)
            return fresh
        }

        func comments(_ story: Int64) throws -> [String] {
            try sim.commitIdentifiers(project: 5, story: story)
        }

        func posts() throws -> Int { try sim.stats()["source_commits"] ?? 0 }

        /// Waits (at most 15 s) for `count` posts in all.
        func waitForPosts(_ count: Int) throws -> Int {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                if try posts() >= count { break }
                usleep(100_000)
            }
            return try posts()
        }

        /// Waits (at most 15 s) until the delivery log holds `text` `count` times.
        func waitForLog(_ text: String, count: Int = 1) -> Bool {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                if log.components(separatedBy: text).count - 1 >= count { return true }
                usleep(100_000)
            }
            return false
        }

        /// Waits for the hooks' background processes to end (at most 15 s).
        func settle() {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                let busy = (try? ProcessRunner.run("/usr/bin/pgrep", ["-f", "commitbridge (flush|hook) "], directory: nil,
                                                   environment: [:]).out.isEmpty == false) ?? false
                if !busy { return }
                usleep(100_000)
            }
        }
    }

    private func makeSetup(stories: [Int64], clone name: String = "work") throws -> Setup {
        let sandbox = try GitSandbox(bare: true, name: "server.git")
        let list = stories.map { #"{"id":\#($0),"project_id":5,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        let sim = try TrackerSimProcess(fixtures: #"{"projects":[{"id":5,"name":"Push"}],"stories":[\#(list.joined(separator: ","))]}"#,
                                        token: token, directory: sandbox.root)
        let work = sandbox.root + "/" + name
        try sandbox.git(["clone", "-q", sandbox.path, work], in: sandbox.root)
        try sandbox.git(["config", "commitbridge.trackerUrl", sim.apiURL], in: work)
        try sandbox.git(["config", "commitbridge.token", token], in: work)
        let setup = Setup(sandbox: sandbox, sim: sim, server: sandbox.path, work: work)
        try setup.commit("start")
        XCTAssertTrue(try setup.push(["origin", "main"]))
        let installed = try CommitBridgeBinary.run(["install"], in: work, sandbox: sandbox)
        XCTAssertEqual(installed.status, 0, installed.err)
        XCTAssertTrue(installed.out.contains("pre-push: installed"), installed.out)
        return setup
    }

    /// commit, amend, commit again, push: exactly the two pushed commits are posted, once each; the
    /// commit the amend replaced never is, and `status` counts it as dropped.
    func testCommitAmendCommitPushPostsExactlyThePushedCommits() throws {
        let setup = try makeSetup(stories: [555])
        let first = try setup.commit("[#555] wip")
        let amended = try setup.sandbox.gitCommitting(["commit", "-q", "--amend", "-m", "[#555] wip, done right"], in: setup.work)
        let amendedSHA = try setup.git(["rev-parse", "HEAD"])
        XCTAssertNotEqual(first, amendedSHA, amended)
        let second = try setup.commit("[finishes #555] and tested")
        setup.settle()
        let status = try CommitBridgeBinary.run(["status"], in: setup.work, sandbox: setup.sandbox)
        XCTAssertTrue(status.out.contains("queue: 3 commits waiting (3 of them for a push)"), status.out)
        XCTAssertEqual(try setup.posts(), 0, "nothing is posted before the push")

        XCTAssertTrue(try setup.push(["origin", "main"]))
        XCTAssertEqual(try setup.waitForPosts(2), 2)
        XCTAssertTrue(setup.waitForLog("delivered 2 commits"), setup.log)
        setup.settle()
        // Commits made a few milliseconds apart may queue in either order (each post-commit hook
        // runs in the background): the set is what counts here.
        XCTAssertEqual(try setup.comments(555).sorted(), [amendedSHA, second].sorted())
        XCTAssertEqual(try setup.sim.state(ofStory: 555), "finished")
        let after = try CommitBridgeBinary.run(["status"], in: setup.work, sandbox: setup.sandbox)
        XCTAssertTrue(after.out.contains("queue: 0 commits waiting"), after.out)
        XCTAssertTrue(after.out.contains("dropped unposted: 1 commit no branch held any more"), after.out)
        // Pushing again changes nothing.
        try setup.commit("untagged")
        XCTAssertTrue(try setup.push(["origin", "main"]))
        usleep(500_000)
        setup.settle()
        XCTAssertEqual(try setup.posts(), 2)
    }

    /// A push the server refuses (its pre-receive hook, then a non-fast-forward) posts nothing and
    /// keeps the commits queued; the next push that goes through posts them, once.
    func testRejectedPushPostsNothingAndTheNextPushPostsTheCommits() throws {
        let setup = try makeSetup(stories: [7, 8])
        let refuse = setup.server + "/hooks/pre-receive"
        try "#!/bin/sh\necho refused by policy >&2\nexit 1\n".write(toFile: refuse, atomically: true, encoding: .utf8)
        chmod(refuse, 0o755)
        let mine = try setup.commit("[#7] my change")
        XCTAssertFalse(try setup.push(["origin", "main"]), "the server refuses the push")
        XCTAssertTrue(setup.waitForLog("1 still waiting for a push"), setup.log)
        setup.settle()
        XCTAssertEqual(try setup.posts(), 0)

        // Someone else pushes first: ours is now a non-fast-forward, refused too.
        try FileManager.default.removeItem(atPath: refuse)
        let other = setup.sandbox.root + "/other"
        try setup.git(["clone", "-q", setup.server, other], in: setup.sandbox.root)
        try setup.commit("[#8] their change", in: other)
        XCTAssertTrue(try setup.push(["origin", "main"], in: other))
        XCTAssertFalse(try setup.push(["origin", "main"]), "a non-fast-forward push is refused")
        XCTAssertTrue(setup.waitForLog("1 still waiting for a push", count: 2), setup.log)
        setup.settle()
        XCTAssertEqual(try setup.posts(), 0)

        // Rebased onto theirs and pushed: posted once, under its new id; the old id never.
        _ = try setup.sandbox.gitCommitting(["pull", "-q", "--rebase", "origin", "main"], in: setup.work)
        let rebased = try setup.git(["rev-parse", "HEAD"])
        XCTAssertNotEqual(rebased, mine)
        XCTAssertTrue(try setup.push(["origin", "main"]))
        XCTAssertEqual(try setup.waitForPosts(1), 1)
        XCTAssertTrue(setup.waitForLog("delivered 1 commit"), setup.log)
        setup.settle()
        XCTAssertEqual(try setup.comments(7), [rebased])
        XCTAssertEqual(try setup.comments(8), [], "their commit is theirs to post")
    }

    /// A branch delivered, rebased onto a moved main, force-pushed, then merged: no story gets a
    /// second comment for the same change, here or from a fresh clone with an empty state directory;
    /// `--post-rewritten` posts the rewritten commits all the same.
    func testRebasedForcePushedAndMergedBranchPostsEachChangeOnce() throws {
        let setup = try makeSetup(stories: [20, 21, 22])
        try setup.git(["checkout", "-q", "-b", "feature"])
        let a = try setup.commit("[#20] parser")
        let b = try setup.commit("[#21] printer")
        XCTAssertTrue(try setup.push(["-u", "origin", "feature"]))
        XCTAssertEqual(try setup.waitForPosts(2), 2)
        XCTAssertTrue(setup.waitForLog("delivered 2 commits"), setup.log)
        setup.settle()

        try setup.git(["checkout", "-q", "main"])
        let m = try setup.commit("[#22] main moves on")
        XCTAssertTrue(try setup.push(["origin", "main"]))
        XCTAssertEqual(try setup.waitForPosts(3), 3)
        XCTAssertTrue(setup.waitForLog("delivered 1 commit"), setup.log)
        setup.settle()

        try setup.git(["checkout", "-q", "feature"])
        _ = try setup.sandbox.gitCommitting(["rebase", "-q", "main"], in: setup.work)
        let rebasedB = try setup.git(["rev-parse", "HEAD"])
        let rebasedA = try setup.git(["rev-parse", "HEAD^"])
        XCTAssertNotEqual(rebasedA, a)
        XCTAssertTrue(try setup.push(["-f", "origin", "feature"]))
        XCTAssertTrue(setup.waitForLog("already delivered as another commit", count: 1), setup.log)
        setup.settle()
        XCTAssertEqual(try setup.posts(), 3, "the rebased commits are the same changes: not posted")

        try setup.git(["checkout", "-q", "main"])
        _ = try setup.sandbox.gitCommitting(["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"], in: setup.work)
        XCTAssertTrue(try setup.push(["origin", "main"]))
        usleep(500_000)
        setup.settle()
        XCTAssertEqual(try setup.posts(), 3)
        XCTAssertEqual(try setup.comments(20), [a])
        XCTAssertEqual(try setup.comments(21), [b])
        XCTAssertEqual(try setup.comments(22), [m])

        // A fresh clone knows nothing; Tracker's comments are the evidence. The old commits are gone
        // from the server (the feature branch was force-pushed), so their text and time decide.
        let fresh = try setup.freshClone(token: token)
        let replay = try CommitBridgeBinary.run(["replay", "HEAD"], in: fresh, sandbox: setup.sandbox)
        XCTAssertEqual(replay.status, 0, replay.err)
        XCTAssertTrue(replay.err.contains("\(rebasedA.prefix(7)) already delivered as \(a.prefix(7))"), replay.err)
        XCTAssertTrue(replay.err.contains("\(rebasedB.prefix(7)) already delivered as \(b.prefix(7))"), replay.err)
        XCTAssertEqual(try setup.posts(), 3)

        // --post-rewritten posts them anyway (from another fresh state directory).
        let forced = try CommitBridgeBinary.run(["replay", "HEAD", "--post-rewritten", "--state-dir", setup.sandbox.root + "/state2"],
                                                in: fresh, sandbox: setup.sandbox)
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertEqual(try setup.posts(), 5, forced.err)
        XCTAssertEqual(try setup.comments(20), [a, rebasedA])
    }

    /// `git cherry-pick -x` onto a release branch: the pick names a delivered commit, so it is not
    /// posted again, neither here nor from a fresh clone.
    func testCherryPickedCommitIsNotPostedAgain() throws {
        let setup = try makeSetup(stories: [30])
        try setup.git(["branch", "release"])
        let fix = try setup.commit("[#30] fix the crash")
        XCTAssertTrue(try setup.push(["origin", "main"]))
        XCTAssertEqual(try setup.waitForPosts(1), 1)
        XCTAssertTrue(setup.waitForLog("delivered 1 commit"), setup.log)
        setup.settle()

        try setup.git(["checkout", "-q", "release"])
        _ = try setup.sandbox.gitCommitting(["cherry-pick", "-x", fix], in: setup.work)
        let picked = try setup.git(["rev-parse", "HEAD"])
        XCTAssertTrue(try setup.push(["origin", "release"]))
        XCTAssertTrue(setup.waitForLog("already delivered as another commit"), setup.log)
        setup.settle()
        XCTAssertEqual(try setup.posts(), 1)

        let fresh = try setup.freshClone(branch: "release", token: token)
        let replay = try CommitBridgeBinary.run(["replay", "HEAD"], in: fresh, sandbox: setup.sandbox)
        XCTAssertEqual(replay.status, 0, replay.err)
        XCTAssertTrue(replay.err.contains("\(picked.prefix(7)) already delivered as \(fix.prefix(7))"), replay.err)
        XCTAssertEqual(try setup.posts(), 1)
    }

    /// `commitbridge.postOn = commit` posts at commit time, as before.
    func testPostOnCommitPostsAtCommitTime() throws {
        let setup = try makeSetup(stories: [40])
        try setup.git(["config", "commitbridge.postOn", "commit"])
        let sha = try setup.commit("[#40] straight away")
        XCTAssertEqual(try setup.waitForPosts(1), 1)
        setup.settle()
        XCTAssertEqual(try setup.comments(40), [sha])
    }

    /// An installation from before pre-push existed (post-commit only) keeps posting at commit
    /// time: no commit waits for a hook that is not there.
    func testWithoutAPrePushHookCommitsPostAtCommitTime() throws {
        let setup = try makeSetup(stories: [50])
        let removed = try CommitBridgeBinary.run(["uninstall", "--pre-push"], in: setup.work, sandbox: setup.sandbox)
        XCTAssertEqual(removed.status, 0, removed.err)
        let sha = try setup.commit("[#50] no pre-push here")
        XCTAssertEqual(try setup.waitForPosts(1), 1)
        setup.settle()
        XCTAssertEqual(try setup.comments(50), [sha])
    }

    /// `explain` names the right reason for a dozen commits, one for each reason there is.
    func testExplainGivesTheReasonOfEachCommit() throws {
        let setup = try makeSetup(stories: [1, 2, 3])
        let start = try setup.git(["rev-parse", "HEAD"])
        func quiet(_ message: String) throws -> String {
            // A commit no hook sees (as if made before the hooks were installed).
            _ = try setup.sandbox.git(["-c", "core.hooksPath=/dev/null", "commit", "-q", "--allow-empty", "-m", message], in: setup.work)
            return try setup.git(["rev-parse", "HEAD"])
        }
        func delivered(_ text: String, count: Int = 1) { XCTAssertTrue(setup.waitForLog(text, count: count), setup.log); setup.settle() }

        let posted = try setup.commit("[#1] delivered")
        XCTAssertTrue(try setup.push(["origin", "main"]))
        delivered("delivered 1 commit")

        // Posted from another clone (another state directory): this one finds it on Tracker.
        let elsewhere = try quiet("[#2] posted elsewhere")
        let other = try CommitBridgeBinary.run(["replay", "\(elsewhere)^..\(elsewhere)", "--state-dir", setup.sandbox.root + "/other"],
                                               in: setup.work, sandbox: setup.sandbox)
        XCTAssertEqual(other.status, 0, other.err)
        XCTAssertTrue(try setup.push(["origin", "main"]))
        delivered("1 already on Tracker")

        let missing = try setup.commit("[#99] no such story")
        XCTAssertTrue(try setup.push(["origin", "main"]))
        delivered("wait", count: 1)

        try setup.git(["checkout", "-q", "-b", "release", start])
        _ = try setup.sandbox.gitCommitting(["cherry-pick", "-x", posted], in: setup.work)
        let picked = try setup.git(["rev-parse", "HEAD"])
        XCTAssertTrue(try setup.push(["origin", "release"]))
        delivered("already delivered as another commit")

        // The same author, author date and message as a delivered commit, never queued.
        let date = try setup.git(["log", "-1", "--format=%ad", "--date=raw", posted])
        _ = try setup.sandbox.git(["-c", "core.hooksPath=/dev/null", "commit", "-q", "--allow-empty", "-m", "[#1] delivered"],
                                  in: setup.work, extraEnvironment: ["GIT_AUTHOR_DATE": date])
        let copy = try setup.git(["rev-parse", "HEAD"])

        try setup.git(["checkout", "-q", "-b", "experiment", "main"])
        let experiment = try quiet("[#3] on an experiment branch")
        XCTAssertTrue(try setup.push(["--no-verify", "origin", "experiment"]))

        try setup.git(["checkout", "-q", "main"])
        _ = try setup.sandbox.gitCommitting(["merge", "-q", "--no-ff", "-m", "Merge release", "release"], in: setup.work)
        let merge = try setup.git(["rev-parse", "HEAD"])
        let untagged = try setup.commit("tidy up, no story")
        let unqueued = try quiet("[#3] pushed without hooks")
        XCTAssertTrue(try setup.push(["--no-verify", "origin", "main"]))
        let local = try setup.commit("[#3] not pushed yet")
        setup.settle()

        // Tracker goes away; a replay leaves its commit queued with the error.
        let failing = try quiet("[#3] Tracker was down")
        setup.sim.stop()
        let down = try CommitBridgeBinary.run(["replay", "\(failing)^..\(failing)", "--timeout", "2"], in: setup.work, sandbox: setup.sandbox)
        XCTAssertEqual(down.status, 1, down.err)
        try setup.git(["config", "commitbridge.branches", "main"])
        try setup.git(["config", "--add", "commitbridge.branches", "release"])

        let expected: [(String, String, String)] = [
            (posted, "posted", "delivered"), (elsewhere, "will-not-post", "already-on-tracker"),
            (missing, "will-post", "stories-missing"), (picked, "will-not-post", "rewritten"),
            (copy, "will-not-post", "rewritten"), (experiment, "will-not-post", "branch-filter"),
            (merge, "will-not-post", "merge"), (untagged, "will-not-post", "no-reference"),
            (unqueued, "will-post", "not-queued"), (local, "will-post", "not-pushed"),
            (failing, "will-post", "queued"), (start, "will-not-post", "no-reference"),
        ]
        let explained = try CommitBridgeBinary.run(["explain", "--json"] + expected.map(\.0), in: setup.work, sandbox: setup.sandbox)
        XCTAssertEqual(explained.status, 0, explained.err)
        let lines = explained.out.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(lines.count, expected.count, explained.out)
        for (line, (sha, verdict, reason)) in zip(lines, expected) {
            XCTAssertEqual(line?["commit"] as? String, sha)
            XCTAssertEqual(line?["verdict"] as? String, verdict, "\(line ?? [:])")
            XCTAssertEqual(line?["reason"] as? String, reason, "\(line ?? [:])")
        }
        XCTAssertEqual(lines[3]?["original"] as? String, posted)
        XCTAssertEqual(lines[4]?["original"] as? String, posted)

        let human = try CommitBridgeBinary.run(["explain", posted, failing, "HEAD~1"], in: setup.work, sandbox: setup.sandbox)
        XCTAssertEqual(human.status, 0, human.err)
        let humanLines = human.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(humanLines[0].hasPrefix("\(posted.prefix(7)) posted: delivered on "), human.out)
        XCTAssertTrue(humanLines[1].hasPrefix("\(failing.prefix(7)) will post: queued with last error"), human.out)
        XCTAssertTrue(humanLines[2].hasPrefix("\(local.prefix(7)) will post: not pushed yet"), human.out)
        let bad = try CommitBridgeBinary.run(["explain", "no-such-commit"], in: setup.work, sandbox: setup.sandbox)
        XCTAssertEqual(bad.status, 3, bad.err)
    }
}
