import Foundation
import TestSupport
import XCTest

/// `commitbridge replay` posting for real to `tracker-sim` on 127.0.0.1.
final class DeliveryTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func fixtures(_ stories: [(Int64, String, String)], project: Int64 = 99) -> String {
        let list = stories.map { #"{"id":\#($0.0),"project_id":\#(project),"story_type":"\#($0.1)","current_state":"\#($0.2)","name":"Story \#($0.0)"}"# }
        return #"{"projects":[{"id":\#(project),"name":"Demo"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    private func replay(_ repo: GitSandbox, _ sim: TrackerSimProcess, _ extra: [String] = [], range: String = "HEAD",
                        stateDir: String? = nil) throws -> ProcessResult {
        var arguments = ["replay", range, "--tracker-url", sim.apiURL] + extra
        if let stateDir { arguments += ["--state-dir", stateDir] }
        return try CommitBridgeBinary.run(arguments, sandbox: repo, environment: ["TRACKER_TOKEN": token])
    }

    func testStatesAndCommentsFollowTheTable() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures([
            (1, "feature", "unstarted"), (2, "feature", "started"), (3, "bug", "started"),
            (4, "chore", "started"), (5, "release", "unstarted"), (6, "feature", "rejected"), (7, "feature", "accepted"),
        ]), directory: repo.root)
        let mention = try repo.commit("Start [#1]")
        let finish = try repo.commit("Done [Fixes #2] and [finished #6]")
        let deliver = try repo.commit("Ship [#3 delivers]")
        let chore = try repo.commit("Chore [completes #4] [#5 finishes] [fixed #7]")
        try repo.commit("no tags at all")

        let result = try replay(repo, sim)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try sim.state(ofStory: 1), "started")
        XCTAssertEqual(try sim.state(ofStory: 2), "finished")
        XCTAssertEqual(try sim.state(ofStory: 3), "delivered")
        XCTAssertEqual(try sim.state(ofStory: 4), "accepted")
        XCTAssertEqual(try sim.state(ofStory: 5), "unstarted")
        XCTAssertEqual(try sim.state(ofStory: 6), "finished")
        XCTAssertEqual(try sim.state(ofStory: 7), "accepted")
        XCTAssertEqual(try sim.commitIdentifiers(project: 99, story: 1), [mention])
        XCTAssertEqual(try sim.commitIdentifiers(project: 99, story: 2), [finish])
        XCTAssertEqual(try sim.commitIdentifiers(project: 99, story: 3), [deliver])
        XCTAssertEqual(try sim.commitIdentifiers(project: 99, story: 4), [chore])
        let stats = try sim.stats()
        XCTAssertEqual(stats["source_commits"], 4)
        XCTAssertEqual(stats["duplicate_comments"], 0)
        XCTAssertFalse(result.err.contains(token))
        XCTAssertFalse(result.out.contains(token))
    }

    func testSecondReplayPostsNothingAndLooksUpOnlyWhatItPosts() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures([(10, "feature", "unstarted"), (11, "feature", "unstarted")]), directory: repo.root)
        for index in 0..<6 { try repo.commit("work \(index) [#\(10 + index % 2)]") }
        XCTAssertEqual(try replay(repo, sim).status, 0)
        let first = try sim.stats()
        XCTAssertEqual(first["source_commits"], 6)
        XCTAssertLessThanOrEqual(first["story_lookups"] ?? 99, 2, "each distinct story looked up at most once")

        let again = try replay(repo, sim)
        XCTAssertEqual(again.status, 0, again.err)
        let second = try sim.stats()
        XCTAssertEqual(second["source_commits"], 6, "the ledger stops a second post")
        XCTAssertEqual(second["story_lookups"], first["story_lookups"], "nothing new to look up")

        // A new commit: its story's comments are read afresh right before it is posted (another
        // clone may have posted it meanwhile), and only that story's.
        try repo.commit("more [#10]")
        XCTAssertEqual(try replay(repo, sim).status, 0)
        let third = try sim.stats()
        XCTAssertEqual(third["source_commits"], 7)
        XCTAssertEqual(third["story_lookups"], (first["story_lookups"] ?? 0) + 1)
        XCTAssertEqual(third["duplicate_comments"], 0)
    }

    func testFreshCloneWithEmptyStateDoesNotRepost() throws {
        // The story's comments come nested in its look-up: one request a story.
        try checkFreshCloneDoesNotRepost(simulatorArguments: [], requestsPerLookUp: 1)
    }

    func testFreshCloneDoesNotRepostWhenTheServerDoesNotNestComments() throws {
        // A v5 server that ignores `fields`: the comments are fetched with a second request.
        try checkFreshCloneDoesNotRepost(simulatorArguments: ["--ignore-fields"], requestsPerLookUp: 2)
    }

    private func checkFreshCloneDoesNotRepost(simulatorArguments: [String], requestsPerLookUp: Int,
                                              file: StaticString = #filePath, line: UInt = #line) throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures([(20, "feature", "unstarted")]), directory: repo.root,
                                        arguments: simulatorArguments)
        for index in 0..<4 { try repo.commit("change \(index) [#20]") }
        XCTAssertEqual(try replay(repo, sim).status, 0)
        let clone = repo.root + "/clone"
        try repo.git(["clone", "-q", repo.path, clone], in: repo.root)
        let fromClone = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", sim.apiURL], in: clone, sandbox: repo,
                                                   environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(fromClone.status, 0, fromClone.err, file: file, line: line)
        XCTAssertTrue(fromClone.err.contains("4 already on Tracker"), fromClone.err, file: file, line: line)
        let stats = try sim.stats()
        XCTAssertEqual(stats["source_commits"], 4, file: file, line: line)
        XCTAssertEqual(stats["duplicate_comments"], 0, file: file, line: line)
        // Each run looked story 20 up once; only the first one posted.
        XCTAssertEqual(stats["requests"], 2 * requestsPerLookUp + 4, file: file, line: line)
    }

    func testMissingStoriesAreReportedNotPosted() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures([(30, "feature", "unstarted")]), directory: repo.root)
        let ghost = try repo.commit("ghost [#999999]")
        try repo.commit("real [#30] and [#888888]")
        let result = try replay(repo, sim)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("stories not found on Tracker: #999999 (1 commit)"), result.err)
        XCTAssertFalse(result.err.contains("#888888"), "a commit with one story that exists is posted: \(result.err)")
        let status = try CommitBridgeBinary.run(["status", "--tracker-url", sim.apiURL], sandbox: repo)
        XCTAssertTrue(status.out.contains("queue: 1 commit waiting\n  oldest: \(ghost.prefix(7))"), status.out)
        XCTAssertEqual(try sim.stats()["source_commits"], 1)
    }

    func testWrongTokenKeepsCommitsQueuedAndShowsTrackersError() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures([(40, "feature", "unstarted")]), directory: repo.root)
        try repo.commit("x [#40]")
        let wrong = "wrong-token-abcdef"
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", sim.apiURL], sandbox: repo,
                                                environment: ["TRACKER_TOKEN": wrong])
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("403"), result.err)
        XCTAssertTrue(result.err.contains("invalid_authentication"), result.err)
        XCTAssertFalse(result.err.contains(wrong))
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("queue: 1 commit waiting"), status.out)
        XCTAssertFalse(status.out.contains(wrong))
        // With the right token, flush delivers it.
        let flush = try CommitBridgeBinary.run(["flush", "--tracker-url", sim.apiURL], sandbox: repo, environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(flush.status, 0, flush.err)
        XCTAssertEqual(try sim.stats()["source_commits"], 1)
        let after = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(after.out.contains("queue: 0 commits waiting"), after.out)
        XCTAssertTrue(after.out.contains("ledger: 1 commit delivered"), after.out)
    }

    func testNoTokenIsAConfigurationError() throws {
        let repo = try GitSandbox()
        try repo.commit("x [#1]")
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", "http://127.0.0.1:9/services/v5"], sandbox: repo)
        XCTAssertEqual(result.status, 2, result.err)
        XCTAssertTrue(result.err.contains("no Tracker token"), result.err)
    }

    func testServerDownKeepsCommitsQueuedWithExitOne() throws {
        let repo = try GitSandbox()
        try repo.commit("x [#1]")
        // Nothing listens on port 9 of loopback: connection refused.
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", "http://127.0.0.1:9/services/v5"], sandbox: repo,
                                                environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("stays queued") || result.err.contains("still queued"), result.err)
        let status = try CommitBridgeBinary.run(["status"], sandbox: repo)
        XCTAssertTrue(status.out.contains("queue: 1 commit waiting"), status.out)
    }

    func testDryRunWithTokenPredictsEffectsAndChangesNothing() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures([(50, "feature", "started"), (51, "chore", "unstarted")]), directory: repo.root)
        try repo.commit("a [Finishes #50]")
        try repo.commit("b [#51]")
        try repo.commit("c [#50 delivers] [fixes #51]")
        let result = try replay(repo, sim, ["--dry-run"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("#50 feature started → finished"), result.out)
        XCTAssertTrue(result.out.contains("#51 chore unstarted → started"), result.out)
        XCTAssertTrue(result.out.contains("#50 feature finished → delivered"), result.out)
        XCTAssertTrue(result.out.contains("#51 chore started → accepted"), result.out)
        XCTAssertEqual(try sim.stats()["source_commits"], 0)
        XCTAssertEqual(try sim.state(ofStory: 50), "started")
    }
}
