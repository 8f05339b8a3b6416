import Foundation
import TestSupport
import XCTest

/// `commitbridge doctor` reports each check, with a fix for each problem, and never the token.
final class DoctorCommandTests: XCTestCase {
    private let token = "sim-token-0123456789"

    func testAllGoodThenProblems() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: #"{"projects":[{"id":1,"name":"D"}],"stories":[]}"#, token: token, directory: repo.root)
        try repo.commit("x")
        XCTAssertEqual(try CommitBridgeBinary.run(["install"], sandbox: repo).status, 0)
        let good = try CommitBridgeBinary.run(["doctor", "--tracker-url", sim.apiURL], sandbox: repo, environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(good.status, 0, good.out + good.err)
        XCTAssertTrue(good.out.contains("token set (from the TRACKER_TOKEN variable)"), good.out)
        XCTAssertTrue(good.out.contains("GET /me"), good.out)
        XCTAssertTrue(good.out.contains("post-commit hook installed"), good.out)
        XCTAssertFalse(good.out.contains(token))
        XCTAssertTrue(good.out.contains("note     no commit-graph file"), good.out)

        try repo.git(["commit-graph", "write", "--reachable"])
        let graphed = try CommitBridgeBinary.run(["doctor", "--tracker-url", sim.apiURL], sandbox: repo, environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(graphed.status, 0, graphed.out + graphed.err)
        XCTAssertTrue(graphed.out.contains("ok       commit-graph file found"), graphed.out)
        XCTAssertFalse(graphed.out.contains("note "), graphed.out)

        let wrong = "not-the-token-987"
        let bad = try CommitBridgeBinary.run(["doctor", "--tracker-url", sim.apiURL], sandbox: repo, environment: ["TRACKER_TOKEN": wrong])
        XCTAssertEqual(bad.status, 2, bad.out)
        XCTAssertTrue(bad.out.contains("PROBLEM  the token was refused"), bad.out)
        XCTAssertTrue(bad.out.contains("fix:"), bad.out)
        XCTAssertFalse(bad.out.contains(wrong) || bad.err.contains(wrong))

        let none = try CommitBridgeBinary.run(["doctor", "--tracker-url", sim.apiURL], sandbox: repo)
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.out.contains("no token set"), none.out)
    }
}
