import CommitBridgeCore
@testable import CommitBridgeServices
import GitKit
import TestSupport
import XCTest

final class ReplayServiceTests: XCTestCase {
    func testDecisionsInOrderWithSummary() throws {
        let sandbox = try GitSandbox()
        let first = try sandbox.commit("one [#1]")
        try sandbox.commit("two, untagged")
        let third = try sandbox.commit("three [Fixes #3]")
        let repo = try Repository.discover(at: sandbox.path)
        let config = try ConfigurationLoader(environment: [:]).load(ConfigurationInputs(), repository: repo)
        let service = try ReplayService(workspace: Workspace(repository: repo, configuration: config), options: PlanningOptions(), events: { _ in })
        var posted: [String] = []
        let summary = try service.plan(RevisionRange(parsing: ["HEAD"])) { decision in
            if case .post(let planned) = decision { posted.append(planned.sha) }
        }
        XCTAssertEqual(posted, [first, third])
        XCTAssertEqual(summary.scanned, 3)
        XCTAssertEqual(summary.tagged, 2)
        XCTAssertEqual(summary.skippedUntagged, 1)
    }

    func testBadRevisionMapsToExitThree() throws {
        let sandbox = try GitSandbox()
        try sandbox.commit("one [#1]")
        let repo = try Repository.discover(at: sandbox.path)
        let config = try ConfigurationLoader(environment: [:]).load(ConfigurationInputs(), repository: repo)
        let service = try ReplayService(workspace: Workspace(repository: repo, configuration: config), options: PlanningOptions(), events: { _ in })
        XCTAssertThrowsError(try service.plan(RevisionRange(parsing: ["nope"])) { _ in }) { error in
            XCTAssertEqual(errorKind(error), "badRevision")
            XCTAssertTrue(error.localizedDescription.contains("nope"))
        }
    }
}

/// The case of a `CommitBridgeError` (`configuration`, `badRevision`, …), or `other`.
func errorKind(_ error: Error) -> String {
    guard let failure = error as? CommitBridgeError else { return "other" }
    return String(String(describing: failure).prefix { $0 != "(" })
}
