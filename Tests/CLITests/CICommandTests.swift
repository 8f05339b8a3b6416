import Foundation
import TestSupport
import XCTest

/// `commitbridge ci` with the variables GitHub Actions and GitLab CI set, against tracker-sim.
final class CICommandTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func setUp(_ stories: ClosedRange<Int64>) throws -> (GitSandbox, TrackerSimProcess) {
        let repo = try GitSandbox()
        let list = stories.map { #"{"id":\#($0),"project_id":4,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        let sim = try TrackerSimProcess(fixtures: #"{"projects":[{"id":4,"name":"CI"}],"stories":[\#(list.joined(separator: ","))]}"#,
                                        token: token, directory: repo.root)
        return (repo, sim)
    }

    private func run(_ repo: GitSandbox, _ sim: TrackerSimProcess, _ env: [String: String], _ extra: [String] = []) throws -> ProcessResult {
        var environment = env
        environment["TRACKER_TOKEN"] = token
        return try CommitBridgeBinary.run(["ci", "--tracker-url", sim.apiURL] + extra, sandbox: repo, environment: environment)
    }

    func testGitHubPushPostsBeforeToAfter() throws {
        let (repo, sim) = try setUp(1...5)
        let before = try repo.commit("old [#1]")
        let middle = try repo.commit("new [#2]")
        let after = try repo.commit("newer [Fixes #3]")
        let event = try repo.writeFile("event.json", Data(#"{"ref":"refs/heads/main","before":"\#(before)","after":"\#(after)","created":false,"deleted":false,"forced":false}"#.utf8))
        let env = ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": event, "GITHUB_REF_NAME": "main"]
        let result = try run(repo, sim, env)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try sim.commitIdentifiers(project: 4, story: 2), [middle])
        XCTAssertEqual(try sim.commitIdentifiers(project: 4, story: 3), [after])
        XCTAssertEqual(try sim.commitIdentifiers(project: 4, story: 1), [], "before itself is not part of the push")
        // A branch filter that leaves main out posts nothing.
        let filtered = try run(repo, sim, env, ["--branch", "release/*"])
        XCTAssertEqual(filtered.status, 0, filtered.err)
        XCTAssertTrue(filtered.err.contains("nothing to post"), filtered.err)
    }

    func testForcePushWithAMissingOldTipFallsBackWithoutDuplicates() throws {
        let (repo, sim) = try setUp(1...5)
        let first = try repo.commit("first [#1]")
        let second = try repo.commit("second [#2]")
        let gone = String(repeating: "b", count: 40)
        let env = ["GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": gone, "CI_COMMIT_SHA": second, "CI_COMMIT_BRANCH": "main"]
        let result = try run(repo, sim, env)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("not in this clone"), result.err)
        XCTAssertEqual(try sim.commitIdentifiers(project: 4, story: 1), [first])
        // Running the same pipeline again from a fresh state directory posts nothing twice.
        let again = try run(repo, sim, env, ["--state-dir", repo.root + "/fresh-state"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try sim.stats()["source_commits"], 2)
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0)
    }

    func testTagPipelinesAndUnknownCI() throws {
        let (repo, sim) = try setUp(1...2)
        try repo.commit("x [#1]")
        let tag = try run(repo, sim, ["GITLAB_CI": "true", "CI_COMMIT_TAG": "v1", "CI_COMMIT_SHA": String(repeating: "a", count: 40)])
        XCTAssertEqual(tag.status, 0, tag.err)
        XCTAssertTrue(tag.err.contains("nothing to post"), tag.err)
        let unknown = try run(repo, sim, [:])
        XCTAssertEqual(unknown.status, 2, unknown.err)
        XCTAssertTrue(unknown.err.contains("--range"), unknown.err)
        let explicit = try run(repo, sim, [:], ["--range", "HEAD"])
        XCTAssertEqual(explicit.status, 0, explicit.err)
        XCTAssertEqual(try sim.stats()["source_commits"], 1)
    }
}
