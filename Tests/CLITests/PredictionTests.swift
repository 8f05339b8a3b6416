import Foundation
import TestSupport
import XCTest

/// A dry run's predictions after a delivery: the story cache takes the state each POST's answer
/// reports, so the prediction starts from the state the delivery left.
final class PredictionTests: XCTestCase {
    private let token = "sim-token-0123456789"

    func testADryRunRightAfterADeliveryPredictsFromTheStateThePostsLeft() throws {
        let repo = try GitSandbox()
        let story = #"{"id":7,"project_id":3,"story_type":"feature","current_state":"started","name":"Seven"}"#
        let sim = try TrackerSimProcess(fixtures: #"{"projects":[{"id":3,"name":"P"}],"stories":[\#(story)]}"#, token: token,
                                        directory: repo.root)
        let env = ["TRACKER_TOKEN": token]
        let finished = try repo.commit("done [Finishes #7]")
        let delivery = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", sim.apiURL], sandbox: repo, environment: env)
        XCTAssertEqual(delivery.status, 0, delivery.err)
        XCTAssertEqual(try sim.commitIdentifiers(project: 3, story: 7), [finished])
        // The next commit, predicted through the cache (an hour's lifetime, so no new look-up).
        let next = try repo.commit("ship it [Delivers #7]")
        let dryRun = try CommitBridgeBinary.run(["replay", "\(finished)..HEAD", "--dry-run", "--tracker-url", sim.apiURL], sandbox: repo,
                                                environment: env)
        XCTAssertEqual(dryRun.status, 0, dryRun.err)
        XCTAssertTrue(dryRun.out.contains("#7 feature finished → delivered"), dryRun.out)
        XCTAssertTrue(dryRun.out.contains(String(next.prefix(7))), dryRun.out)
        // The delivered commit is known to the cache too: predicted as already there.
        let again = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--tracker-url", sim.apiURL], sandbox: repo, environment: env)
        XCTAssertTrue(again.out.contains("#7 feature already has this commit"), again.out)
    }
}
