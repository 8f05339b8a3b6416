import Foundation
import TestSupport
import XCTest

/// Bad input gets one clear line on stderr and the documented exit code.
final class ExitCodeTests: XCTestCase {
    func testNotARepositoryExitsThree() throws {
        let directory = NSTemporaryDirectory() + "commitbridge-norepo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], in: directory,
                                                environment: ["GIT_CEILING_DIRECTORIES": NSTemporaryDirectory()])
        assertOneLineError(result, status: 3, contains: "not a git repository")
    }

    func testUnknownRevisionExitsThree() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let result = try CommitBridgeBinary.run(["replay", "no-such-branch..HEAD", "--dry-run"], sandbox: repo)
        assertOneLineError(result, status: 3, contains: "no-such-branch")
    }

    func testEmptyRangeIsNothingToDo() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let result = try CommitBridgeBinary.run(["replay", "HEAD..HEAD", "--dry-run", "--json"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "")
        XCTAssertTrue(result.err.contains("scanned 0 commits"), result.err)
    }

    func testUsageErrorsExitTwo() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        assertOneLineError(try CommitBridgeBinary.run(["replay", "--dry-run"], sandbox: repo), status: 2, contains: "range")
        assertOneLineError(try CommitBridgeBinary.run(["replay", "HEAD", "-C"], sandbox: repo), status: 2, contains: "-C")
        assertOneLineError(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--bogus"], sandbox: repo), status: 2, contains: "--bogus")
        assertOneLineError(try CommitBridgeBinary.run(["frobnicate"], sandbox: repo), status: 2, contains: "frobnicate")
    }

    func testInsecureTrackerURLRefusedEvenOffline() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--offline", "--tracker-url", "http://tracker.example.com/services/v5"], sandbox: repo)
        assertOneLineError(result, status: 2, contains: "--allow-insecure-http")
        // The same URL from git config is refused too, and loopback is accepted.
        try repo.git(["config", "commitbridge.trackerUrl", "http://tracker.example.com/services/v5"])
        assertOneLineError(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], sandbox: repo), status: 2, contains: "git config")
        let loopback = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--tracker-url", "http://127.0.0.1:9/services/v5"], sandbox: repo)
        XCTAssertEqual(loopback.status, 0, loopback.err)
    }

    func testCommitURLTemplateNeedsPlaceholder() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--commit-url", "https://example.com/c/"], sandbox: repo)
        assertOneLineError(result, status: 2, contains: "{sha}")
    }

    func testHelpExitsZero() throws {
        let result = try CommitBridgeBinary.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("replay"))
    }
}
