import Foundation
import TestSupport
import XCTest

/// The hook scripts built into the binary equal the repository's hooks/ folder.
final class HookScriptsTests: XCTestCase {
    func testInstalledScriptsMatchHooksFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let repo = try GitSandbox()
        let result = try CommitBridgeBinary.run(["install", "--post-commit", "--post-receive", "--commit-msg"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        // The installed copy differs from hooks/ only on the COMMITBRIDGE_BIN= line, which names the binary.
        let lines: (String) -> [String] = {
            $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.hasPrefix("COMMITBRIDGE_BIN=") }
        }
        for name in ["post-commit", "post-receive", "commit-msg"] {
            let expected = try String(contentsOf: root.appendingPathComponent("hooks/\(name)"), encoding: .utf8)
            let installed = try String(contentsOfFile: repo.path + "/.git/hooks/" + name, encoding: .utf8)
            XCTAssertEqual(lines(installed), lines(expected), name)
            XCTAssertTrue(installed.contains("COMMITBRIDGE_BIN='\(CommitBridgeBinary.path)'") || installed.contains(CommitBridgeBinary.path), name)
        }
    }
}
