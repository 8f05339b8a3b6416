import Foundation
import TestSupport
import XCTest

/// Runs the shell of `action.yml` and of the GitLab CI template through Tests/CIHarness/harness.py,
/// with the `commitbridge` and `tracker-sim` this build made, against a local git server and
/// tracker-sim. Each test is one harness case; its output (what ran, what tracker-sim saw) is
/// attached to the failure message.
final class CITemplateTests: XCTestCase {
    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    private func runHarness(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let python = path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else {
            XCTFail("python3 is needed to run Tests/CIHarness/harness.py", file: file, line: line)
            return
        }
        let harness = Self.repositoryRoot + "/Tests/CIHarness/harness.py"
        let result = try ProcessRunner.run(python, [harness, "--bin", BuiltProducts.directory, "--case", name],
                                           directory: Self.repositoryRoot)
        XCTAssertEqual(result.status, 0, "harness case \(name):\n\(result.out)\(result.err)", file: file, line: line)
    }

    // Whole-history checkouts, a GitLab clone deep enough for the push, posting and dry runs.

    func testGitHubActionPostsAPushOfFiveCommitsFromAWholeHistoryCheckout() throws {
        try runHarness("github-full-history-push-5")
    }

    func testGitLabTemplatePostsAPushOfFiveCommitsFromAWholeHistoryClone() throws {
        try runHarness("gitlab-full-history-push-5")
    }

    func testGitHubActionDryRunPostsNothing() throws {
        try runHarness("github-dry-run")
    }

    func testGitHubActionPassesEachBranchGlobUnexpanded() throws {
        try runHarness("github-branch-filter")
    }

    func testGitLabTemplatePostsAPushOfFiveCommitsFromADepthTwentyClone() throws {
        try runHarness("gitlab-push-5")
    }

    // Shallow clones as the CIs make them by default (ci deepens them itself), the GitHub step
    // summary, and `--offline` dry runs.

    func testGitHubActionPostsAPushOfOneCommitFromADepthOneCheckout() throws {
        try runHarness("github-push-1")
    }

    func testGitHubActionPostsAPushOfFiveCommitsFromADepthOneCheckout() throws {
        try runHarness("github-push-5")
    }

    func testGitLabTemplatePostsCommitsThatShareOneSecondFromADepthTwentyClone() throws {
        try runHarness("gitlab-push-5-same-second")
    }

    func testGitHubActionWritesASummaryTable() throws {
        try runHarness("github-step-summary")
    }

    func testGitLabTemplateDryRunWithoutATokenAsksTrackerNothing() throws {
        try runHarness("gitlab-dry-run-offline")
    }
}
