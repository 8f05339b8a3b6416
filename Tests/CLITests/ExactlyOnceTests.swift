import Foundation
import TestSupport
import XCTest

/// The situations in which commits used to reach Tracker twice, or never: a second clone whose
/// story cache was filled before another clone posted, linked worktrees, a server that applies a
/// POST after the client stopped waiting, a wrong tracker URL, a second tracker, and a story
/// created after its commits. Each runs the real binary against tracker-sim on 127.0.0.1.
final class ExactlyOnceTests: XCTestCase {
    private let token = "exactly-once-token-7c2d41"

    private func run(_ arguments: [String], in directory: String? = nil, _ repo: GitSandbox) throws -> ProcessResult {
        try CommitBridgeBinary.run(arguments, in: directory, sandbox: repo, environment: ["TRACKER_TOKEN": token])
    }

    private func sim(_ repo: GitSandbox, stories: ClosedRange<Int64>, _ arguments: [String] = []) throws -> TrackerSimProcess {
        try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: stories), token: token, directory: repo.root,
                              arguments: arguments)
    }

    /// Clones `repo` into `root/name`.
    private func clone(_ repo: GitSandbox, _ name: String) throws -> String {
        let path = repo.root + "/" + name
        try repo.git(["clone", "-q", repo.path, path], in: repo.root)
        return path
    }

    /// Makes one commit in the clone at `path` and returns its sha.
    private func commit(_ repo: GitSandbox, in path: String, _ message: String) throws -> String {
        try repo.git(["commit", "-q", "--allow-empty", "-m", message], in: path)
        return try repo.git(["rev-parse", "HEAD"], in: path)
    }

    private func comments(_ sim: TrackerSimProcess, story: Int64) throws -> [String] {
        try sim.commitIdentifiers(project: TaggedHistory.project, story: story)
    }

    // MARK: A second clone

    /// Clone B replays (its cache now says which commits story 1001 carries), clone A posts a new
    /// commit for the story, B pulls it and replays: B must not post it again, whatever its cache says.
    func testSecondCloneWithAWarmCacheDoesNotRepostAnotherClonesCommit() throws {
        let repo = try GitSandbox()
        let tracker = try sim(repo, stories: 1001...1001)
        try repo.commit("first [#1001]")
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo).status, 0)
        let cloneB = try clone(repo, "b")
        let warm = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneB, repo)
        XCTAssertTrue(warm.err.contains("0 posted, 1 already on Tracker"), warm.err)

        let second = try repo.commit("second [#1001]")
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo).status, 0)
        try repo.git(["pull", "-q", "--ff-only"], in: cloneB)
        let lookupsBefore = try tracker.stats()["story_lookups"] ?? 0
        let fromB = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneB, repo)
        XCTAssertEqual(fromB.status, 0, fromB.err)
        XCTAssertTrue(fromB.err.contains("0 posted, 1 already on Tracker"), fromB.err)
        XCTAssertEqual(try tracker.stats()["story_lookups"], lookupsBefore + 1, "the story's comments are read afresh, once")
        XCTAssertEqual(try comments(tracker, story: 1001).filter { $0 == second }.count, 1)
        XCTAssertEqual(try tracker.stats()["duplicate_comments"], 0)
    }

    func testDryRunWithATokenDoesNotHideANewComment() throws {
        let repo = try GitSandbox()
        let tracker = try sim(repo, stories: 1001...1001)
        try repo.commit("first [#1001]")
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo).status, 0)
        let cloneB = try clone(repo, "b")
        // B's dry run with a token looks the story up and caches its comments (the first commit only).
        let dryRun = try run(["replay", "HEAD", "--dry-run", "--tracker-url", tracker.apiURL], in: cloneB, repo)
        XCTAssertEqual(dryRun.status, 0, dryRun.err)
        XCTAssertTrue(dryRun.out.contains("already has this commit"), dryRun.out)
        // B replays too, so its cache is filled by a delivery as well.
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneB, repo).status, 0)

        let second = try repo.commit("second [#1001]")
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo).status, 0)
        try repo.git(["pull", "-q", "--ff-only"], in: cloneB)
        let fromB = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneB, repo)
        XCTAssertEqual(fromB.status, 0, fromB.err)
        XCTAssertTrue(fromB.err.contains("0 posted, 1 already on Tracker"), fromB.err)
        XCTAssertEqual(try comments(tracker, story: 1001).filter { $0 == second }.count, 1)
        XCTAssertEqual(try tracker.stats()["duplicate_comments"], 0)
    }

    func testTwoClonesOneAfterTheOtherInBothOrdersWithWarmCaches() throws {
        let repo = try GitSandbox()
        var history = try TaggedHistory(repo, count: 24, stories: 1...4)
        let tracker = try sim(repo, stories: 1...4)
        let cloneA = try clone(repo, "a")
        let cloneB = try clone(repo, "b")
        for path in [cloneA, cloneB] {
            // Warm caches: each clone has looked every story up before anything was posted.
            let warm = try run(["replay", "HEAD", "--dry-run", "--tracker-url", tracker.apiURL], in: path, repo)
            XCTAssertEqual(warm.status, 0, warm.err)
        }
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneA, repo).status, 0)
        let bSecond = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneB, repo)
        XCTAssertEqual(bSecond.status, 0, bSecond.err)
        XCTAssertTrue(bSecond.err.contains("0 posted, 24 already on Tracker"), bSecond.err)

        // More history; this time B goes first and A second.
        let more = try TaggedHistory(repo, count: 12, stories: 1...4, startingAt: 24)
        history = history.adding(more.commits)
        for path in [cloneA, cloneB] { try repo.git(["pull", "-q", "--ff-only"], in: path) }
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneB, repo).status, 0)
        let aSecond = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: cloneA, repo)
        XCTAssertEqual(aSecond.status, 0, aSecond.err)
        XCTAssertTrue(aSecond.err.contains("0 posted, 12 already on Tracker"), aSecond.err)
        try history.assertEachDeliveredOnce(to: tracker)
    }

    // MARK: Linked worktrees

    func testLinkedWorktreesShareOneStateDirectory() throws {
        let repo = try GitSandbox()
        let tracker = try sim(repo, stories: 5...5)
        try repo.commit("one [#5]")
        let linked = repo.root + "/linked"
        try repo.git(["worktree", "add", "-q", "-b", "side", linked])
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo).status, 0)
        let before = try tracker.stats()

        let fromLinked = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], in: linked, repo)
        XCTAssertEqual(fromLinked.status, 0, fromLinked.err)
        let after = try tracker.stats()
        XCTAssertEqual(after["requests"], before["requests"], "the shared ledger already holds the commit: nothing is asked")
        let status = try run(["status", "--tracker-url", tracker.apiURL], in: linked, repo)
        XCTAssertTrue(status.out.contains("ledger: 1 commit delivered"), status.out)
        XCTAssertTrue(status.out.contains("state directory: "), status.out)
        XCTAssertTrue(status.out.contains("/repo/.git/commitbridge\n"), "the main worktree's git directory: \(status.out)")
    }

    // MARK: A server slower than the timeout

    func testAPostAppliedAfterTheTimeoutIsNotSentAgain() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 2, stories: 8...8)
        // Every POST is applied 1.5 s after it arrives, and answered then; the client waits 1 s.
        let tracker = try sim(repo, stories: 8...8, ["--post-latency-ms", "1500"])
        let result = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL, "--timeout", "1"], repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("0 posted, 2 already on Tracker"), result.err)
        try history.assertEachDeliveredOnce(to: tracker)
        XCTAssertEqual(try tracker.stats()["source_commits"], 2, "each commit was sent once")
    }

    // MARK: A wrong tracker URL

    /// A URL that does not lead to Tracker's API: exit 2 with one line naming the URL and the
    /// usual path, nothing in the ledger or the cache; the right URL then posts everything.
    private func checkWrongURL(_ wrongURL: String, tracker: TrackerSimProcess, repo: GitSandbox, history: TaggedHistory,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let dryRun = try run(["replay", "HEAD", "--dry-run", "--tracker-url", wrongURL], repo)
        XCTAssertEqual(dryRun.status, 2, dryRun.err, file: file, line: line)
        XCTAssertTrue(dryRun.err.contains("/services/v5"), dryRun.err, file: file, line: line)
        XCTAssertFalse(dryRun.out.contains("not found on Tracker"), dryRun.out, file: file, line: line)

        let wrong = try run(["replay", "HEAD", "--tracker-url", wrongURL], repo)
        XCTAssertEqual(wrong.status, 2, wrong.err, file: file, line: line)
        let lines = wrong.err.split(separator: "\n").filter { !$0.hasPrefix("scanned ") }
        XCTAssertEqual(lines.count, 1, wrong.err, file: file, line: line)
        XCTAssertTrue(wrong.err.contains("404"), wrong.err, file: file, line: line)
        XCTAssertTrue(wrong.err.contains("/services/v5"), wrong.err, file: file, line: line)
        let status = try run(["status", "--tracker-url", wrongURL], repo)
        XCTAssertTrue(status.out.contains("ledger: 0 commits delivered"), status.out, file: file, line: line)

        let right = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo)
        XCTAssertEqual(right.status, 0, right.err, file: file, line: line)
        XCTAssertTrue(right.err.contains("\(history.commits.count) posted"), right.err, file: file, line: line)
        // The wrong URL's queue never delivered anything: the right one took its commits over.
        XCTAssertTrue(right.err.contains("took over \(history.commits.count) commits queued for"), right.err, file: file, line: line)
        try history.assertEachDeliveredOnce(to: tracker, file: file, line: line)
    }

    func testAURLWithoutTheAPIPathIsAConfigurationError() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 3, stories: 1...2)
        let tracker = try sim(repo, stories: 1...2)
        try checkWrongURL(tracker.origin, tracker: tracker, repo: repo, history: history)
    }

    func testAURLWithAQueryStringIsAConfigurationError() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 3, stories: 1...2)
        let tracker = try sim(repo, stories: 1...2)
        try checkWrongURL(tracker.apiURL + "?project=1", tracker: tracker, repo: repo, history: history)
    }

    func testAProxysNotFoundPageIsAConfigurationError() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 3, stories: 1...2)
        let tracker = try sim(repo, stories: 1...2)
        let proxy = try sim(repo, stories: 1...2, ["--broken-answer", "not-found-page"])
        try checkWrongURL(proxy.apiURL, tracker: tracker, repo: repo, history: history)
        XCTAssertEqual(try proxy.stats()["source_commits"], 0)
    }

    func testEachTrackerHasItsOwnLedger() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 3, stories: 1...2)
        let first = try sim(repo, stories: 1...2)
        let second = try sim(repo, stories: 1...2)
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", first.apiURL], repo).status, 0)
        let toSecond = try run(["replay", "HEAD", "--tracker-url", second.apiURL + "/"], repo)
        XCTAssertEqual(toSecond.status, 0, toSecond.err)
        try history.assertEachDeliveredOnce(to: first)
        try history.assertEachDeliveredOnce(to: second)
        // The same tracker spelled another way (upper-case scheme, trailing slash) is the same ledger.
        let spelled = first.apiURL.replacingOccurrences(of: "http://", with: "HTTP://") + "/"
        let again = try run(["replay", "HEAD", "--tracker-url", spelled], repo)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try first.stats()["source_commits"], 3, "its ledger stops a second post")
    }

    func testATrackerThatDeliveredKeepsItsQueue() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        var first: TrackerSimProcess? = try sim(repo, stories: 1...1)
        let firstURL = first!.apiURL
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", firstURL], repo).status, 0)
        first?.stop()
        first = nil
        let late = try repo.commit("two [#1]")
        // The first tracker is down now: the new commit waits in its queue.
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", firstURL], repo).status, 1)

        let second = try sim(repo, stories: 1...1)
        let toSecond = try run(["replay", "HEAD", "--tracker-url", second.apiURL], repo)
        XCTAssertEqual(toSecond.status, 0, toSecond.err)
        XCTAssertFalse(toSecond.err.contains("took over"), toSecond.err)
        XCTAssertEqual(try comments(second, story: 1).count, 2, "a new tracker gets the whole history")
        let status = try run(["status", "--tracker-url", firstURL], repo)
        XCTAssertTrue(status.out.contains("queue: 1 commit waiting\n  oldest: \(late.prefix(7))"), status.out)
    }

    // MARK: A story created later

    func testACommitForAStoryCreatedLaterIsPostedOnceTheStoryExists() throws {
        let repo = try GitSandbox()
        let tracker = try sim(repo, stories: 1...1)
        let early = try repo.commit("ahead of its story [#77]")
        let result = try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("stories not found on Tracker: #77 (1 commit)"), result.err)
        XCTAssertEqual(result.err.components(separatedBy: "#77").count - 1, 1, "one line for the story, not one a commit: \(result.err)")
        var status = try run(["status", "--tracker-url", tracker.apiURL], repo)
        XCTAssertTrue(status.out.contains("queue: 1 commit waiting"), status.out)
        XCTAssertTrue(status.out.contains("ledger: 0 commits delivered"), status.out)

        // Within the time-to-live of Tracker's answer, a flush does not ask again.
        let lookupsBefore = try tracker.stats()["story_lookups"]
        XCTAssertEqual(try run(["flush", "--tracker-url", tracker.apiURL], repo).status, 0)
        XCTAssertEqual(try tracker.stats()["story_lookups"], lookupsBefore)

        // Someone creates the story; --retry-missing asks at once.
        let created = try ProcessRunner.run("/usr/bin/curl", [
            "-s", "--max-time", "10", "-X", "POST", "-H", "Content-Type: application/json",
            "-d", #"{"id":77,"project_id":\#(TaggedHistory.project),"story_type":"feature","current_state":"unstarted","name":"Late"}"#,
            tracker.origin + "/__sim/stories",
        ])
        XCTAssertEqual(created.status, 0, created.err)
        let flush = try run(["flush", "--retry-missing", "--tracker-url", tracker.apiURL], repo)
        XCTAssertEqual(flush.status, 0, flush.err)
        XCTAssertEqual(try comments(tracker, story: 77), [early])
        status = try run(["status", "--tracker-url", tracker.apiURL], repo)
        XCTAssertTrue(status.out.contains("ledger: 1 commit delivered"), status.out)
    }

    func testAnExpiredNotFoundAnswerIsAskedAgain() throws {
        let repo = try GitSandbox()
        let tracker = try sim(repo, stories: 1...1)
        let early = try repo.commit("ahead of its story [Finishes #78]")
        XCTAssertEqual(try run(["replay", "HEAD", "--tracker-url", tracker.apiURL], repo).status, 0)
        let created = try ProcessRunner.run("/usr/bin/curl", [
            "-s", "--max-time", "10", "-X", "POST", "-d", #"{"id":78,"project_id":\#(TaggedHistory.project)}"#,
            tracker.origin + "/__sim/stories",
        ])
        XCTAssertEqual(created.status, 0, created.err)
        // A time-to-live of zero: the not-found answer has expired.
        let flush = try run(["flush", "--cache-ttl", "0", "--tracker-url", tracker.apiURL], repo)
        XCTAssertEqual(flush.status, 0, flush.err)
        XCTAssertEqual(try comments(tracker, story: 78), [early])
        XCTAssertEqual(try tracker.state(ofStory: 78), "finished")
    }
}
