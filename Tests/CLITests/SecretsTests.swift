import Foundation
import TestSupport
import XCTest

/// The token never shows: not on stdout or stderr of any command, good run or bad, not in the
/// background hook's log, not in the state database, not in a dry run's output.
final class SecretsTests: XCTestCase {
    /// Distinctive, so that a match can only be a leak.
    private let token = "cbSECRET-4f8a1d7e9b2c6053"

    func testTheTokenAppearsInNoOutputLogOrStateFile() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        let history = try TaggedHistory(repo, count: 6, stories: 40...41)
        let state = repo.root + "/state"
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 40...41), token: token, directory: repo.root)
        let wrongTokenSim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 40...41), token: "another-token",
                                                  directory: repo.root)
        let htmlSim = try TrackerSimProcess(fixtures: "{}", token: token, directory: repo.root, arguments: ["--broken-answer", "html"])
        let tokenFile = repo.root + "/token"
        XCTAssertTrue(FileManager.default.createFile(atPath: tokenFile, contents: Data((token + "\n").utf8),
                                                     attributes: [.posixPermissions: 0o644]))
        let environment = ["TRACKER_TOKEN": token, "COMMITBRIDGE_STATE_DIR": state]
        var results: [(String, ProcessResult)] = []
        func run(_ label: String, _ arguments: [String], environment extra: [String: String]? = nil) throws {
            let result = try CommitBridgeBinary.run(arguments, sandbox: repo, environment: extra ?? environment)
            results.append((label, result))
        }

        // The wrong server and a broken one first, so their errors are in the database as well.
        try run("403", ["replay", "HEAD", "--tracker-url", wrongTokenSim.apiURL])
        try run("html", ["flush", "--tracker-url", htmlSim.apiURL])
        try run("server down", ["flush", "--tracker-url", "http://127.0.0.1:9/services/v5"])
        try run("dry run", ["replay", "HEAD", "--dry-run", "--tracker-url", sim.apiURL])
        try run("dry run json", ["replay", "HEAD", "--dry-run", "--json", "--tracker-url", sim.apiURL])
        try run("token file", ["flush", "--tracker-url", "http://127.0.0.1:9/services/v5", "--token-file", tokenFile],
                environment: ["COMMITBRIDGE_STATE_DIR": state])
        try run("background hook", ["hook", "post-commit", "--background", "--foreground", "--tracker-url", wrongTokenSim.apiURL])
        try run("deliver", ["replay", "HEAD", "--tracker-url", sim.apiURL])
        try run("status", ["status"])
        try run("doctor", ["doctor", "--tracker-url", sim.apiURL])
        try run("doctor, wrong token", ["doctor", "--tracker-url", wrongTokenSim.apiURL])
        try run("bad URL with the token in it", ["replay", "HEAD", "--tracker-url", "ftp://u:\(token)@example.com/v5"])

        XCTAssertEqual(results.first { $0.0 == "deliver" }?.1.status, 0, "the real delivery worked")
        XCTAssertEqual(results.first { $0.0 == "403" }?.1.status, 1)
        XCTAssertTrue(results.first { $0.0 == "token file" }?.1.err.contains("can be read by other users") ?? false)
        try history.assertEachDeliveredOnce(to: sim)

        for (label, result) in results {
            XCTAssertFalse(result.out.contains(token), "\(label): stdout holds the token")
            XCTAssertFalse(result.err.contains(token), "\(label): stderr holds the token")
            XCTAssertFalse(result.err.contains("Fatal error"), "\(label): \(result.err)")
        }
        // Every file the runs left in the state directory, the database and its log included.
        let files = try FileManager.default.contentsOfDirectory(atPath: state)
        XCTAssertTrue(files.contains { $0.hasPrefix("tracker-") && $0.hasSuffix(".sqlite") }, "\(files)")
        XCTAssertTrue(files.contains("delivery.log"), "\(files)")
        for name in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: state + "/" + name))
            XCTAssertNil(data.range(of: Data(token.utf8)), "\(name) holds the token")
        }
        let log = try String(contentsOfFile: state + "/delivery.log", encoding: .utf8)
        XCTAssertTrue(log.contains("403"), "the background hook logged its failure: \(log)")
        // Nothing else was written beside the repository (no crash dump, no stray log).
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: repo.path).filter { $0 != ".git" && $0 != "f.txt" }
        XCTAssertEqual(leftovers, [])
    }

    func testATokenFileOnlyTheOwnerCanReadGetsNoWarning() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let tokenFile = repo.root + "/token"
        XCTAssertTrue(FileManager.default.createFile(atPath: tokenFile, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]))
        let quiet = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--offline", "--token-file", tokenFile], sandbox: repo)
        XCTAssertEqual(quiet.status, 0, quiet.err)
        XCTAssertFalse(quiet.err.contains("warning"), quiet.err)

        XCTAssertEqual(chmod(tokenFile, 0o644), 0)
        let warned = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--offline", "--token-file", tokenFile], sandbox: repo)
        XCTAssertEqual(warned.status, 0, warned.err)
        let warning = warned.err.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        XCTAssertEqual(warning.count, 1, warned.err)
        XCTAssertTrue(warning.first?.contains("mode 644") ?? false, warned.err)
        XCTAssertTrue(warning.first?.contains("chmod 600") ?? false, warned.err)
        XCTAssertFalse(warned.err.contains(token))
    }
}
