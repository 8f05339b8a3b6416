import Foundation
import TestSupport
import XCTest

/// Flag > environment > git config (repository, then global) > default,
/// observed through the commit URL template, which shows up in every payload.
final class ConfigurationPrecedenceTests: XCTestCase {
    private func postedURL(_ repo: GitSandbox, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> String? {
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"] + arguments, sandbox: repo, environment: environment)
        XCTAssertEqual(result.status, 0, result.err)
        let object = try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(result.outLines.first).utf8)) as? [String: Any]
        let payload = (object?["payload"] as? [String: Any])?["source_commit"] as? [String: Any]
        return payload?["url"] as? String
    }

    func testEachLevelOverridesTheOneBelow() throws {
        let repo = try GitSandbox()
        let sha = try repo.commit("work [#1]")
        try repo.git(["remote", "add", "origin", "https://gitlab.com/team/app.git"])
        XCTAssertEqual(try postedURL(repo), "https://gitlab.com/team/app/-/commit/\(sha)", "default: derived from origin")

        try repo.git(["config", "--global", "commitbridge.commitUrl", "https://global.example/{sha}"])
        XCTAssertEqual(try postedURL(repo), "https://global.example/\(sha)")

        try repo.git(["config", "commitbridge.commitUrl", "https://repo.example/{sha}"])
        XCTAssertEqual(try postedURL(repo), "https://repo.example/\(sha)")

        let env = ["COMMITBRIDGE_COMMIT_URL": "https://env.example/{sha}"]
        XCTAssertEqual(try postedURL(repo, environment: env), "https://env.example/\(sha)")

        XCTAssertEqual(try postedURL(repo, ["--commit-url", "https://flag.example/{sha}"], environment: env), "https://flag.example/\(sha)")
    }

    func testNoRemoteNoTemplateLeavesURLOut() throws {
        let repo = try GitSandbox()
        try repo.commit("work [#1]")
        XCTAssertNil(try postedURL(repo))
    }
}
