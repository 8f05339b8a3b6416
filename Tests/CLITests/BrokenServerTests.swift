import Foundation
import TestSupport
import XCTest

/// Answers no Tracker gives: a web page, an empty body, invalid JSON, a redirect to another host,
/// a certificate that does not verify. Each is one line on stderr, exit 1, and the commit stays
/// queued until a real answer comes.
final class BrokenServerTests: XCTestCase {
    private let token = "broken-server-token-5f1e9c"

    private func run(_ arguments: [String], _ repo: GitSandbox) throws -> ProcessResult {
        try CommitBridgeBinary.run(arguments, sandbox: repo, environment: ["TRACKER_TOKEN": token])
    }

    /// The lines commitbridge wrote to stderr that are errors (not the scan summary).
    private func errorLines(_ result: ProcessResult) -> [String] {
        result.err.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("scanned ") }
    }

    private func assertQueued(_ repo: GitSandbox, count: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let status = try run(["status"], repo)
        XCTAssertEqual(status.status, 0, status.err, file: file, line: line)
        XCTAssertTrue(status.out.contains("\nqueue: \(count) commit"), status.out, file: file, line: line)
    }

    func testEveryAnswerBrokenKeepsTheCommitQueuedWithOneLine() throws {
        let expectations = [
            ("html", "it is HTML, not JSON"),
            ("empty", "the body is empty"),
            ("invalid-json", "it is not the expected JSON"),
        ]
        for (kind, phrase) in expectations {
            let repo = try GitSandbox()
            let history = try TaggedHistory(repo, count: 3, stories: 1...2)
            let broken = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 1...2), token: token,
                                               directory: repo.root, arguments: ["--broken-answer", kind])
            let result = try run(["replay", "HEAD", "--tracker-url", broken.apiURL], repo)
            XCTAssertEqual(result.status, 1, "\(kind): \(result.err)")
            XCTAssertTrue(result.err.contains(phrase), "\(kind): \(result.err)")
            XCTAssertFalse(result.err.contains("Fatal error"), result.err)
            XCTAssertFalse(result.err.contains(token))
            XCTAssertEqual(result.out, "")
            try assertQueued(repo, count: 3)

            // A real Tracker at last: everything goes, once.
            let good = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 1...2), token: token, directory: repo.root)
            let flushed = try run(["flush", "--tracker-url", good.apiURL], repo)
            XCTAssertEqual(flushed.status, 0, "\(kind): \(flushed.err)")
            try history.assertEachDeliveredOnce(to: good)
        }
    }

    func testAPostAnsweredWithAWebPageIsNotCountedAsDelivered() throws {
        for kind in ["html", "empty"] {
            let repo = try GitSandbox()
            let history = try TaggedHistory(repo, count: 4, stories: 10...11)
            let state = repo.root + "/tracker-state.json"
            var sim: TrackerSimProcess? = try TrackerSimProcess(
                fixtures: TaggedHistory.fixtures(stories: 10...11), token: token, directory: repo.root,
                arguments: ["--broken-post", kind, "--state", state])
            let port = String(sim!.origin.split(separator: ":").last!)
            let result = try run(["replay", "HEAD", "--tracker-url", sim!.apiURL], repo)
            XCTAssertEqual(result.status, 1, "\(kind): \(result.err)")
            XCTAssertTrue(result.err.contains("POST /source_commits"), result.err)
            XCTAssertTrue(result.err.contains("check the tracker URL"), result.err)
            // Commits 3 and 4 wait behind commits 1 and 2 (same stories), which failed.
            XCTAssertEqual(try sim!.stats()["source_commits"], 2, "the simulator applied the two POSTs it got")
            try assertQueued(repo, count: 4)

            // The same Tracker, mended: the comments are found on it and nothing is posted again.
            sim!.stop()
            sim = nil
            let mended = try TrackerSimProcess(fixtures: "{}", token: token, directory: repo.root,
                                               arguments: ["--port", port, "--state", state])
            let flushed = try run(["flush", "--tracker-url", mended.apiURL], repo)
            XCTAssertEqual(flushed.status, 0, "\(kind): \(flushed.err)")
            XCTAssertEqual(try mended.stats()["source_commits"], 2, "the two applied are found on Tracker; only the two held back are posted")
            try history.assertEachDeliveredOnce(to: mended)
            try assertQueued(repo, count: 0)
        }
    }

    func testARedirectToAnotherHostIsNotFollowedAndTheTokenStaysHome() throws {
        let repo = try GitSandbox()
        _ = try TaggedHistory(repo, count: 2, stories: 20...20)
        // The host it points at answers everything; it must never hear from commitbridge.
        let elsewhere = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 20...20), token: token, directory: repo.root)
        let port = elsewhere.origin.split(separator: ":").last!
        let redirecting = try TrackerSimProcess(
            fixtures: TaggedHistory.fixtures(stories: 20...20), token: token, directory: repo.root,
            arguments: ["--broken-answer", "redirect=http://localhost:\(port)"])
        let result = try run(["replay", "HEAD", "--tracker-url", redirecting.apiURL], repo)
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("redirect (307)"), result.err)
        XCTAssertTrue(result.err.contains("not followed"), result.err)
        XCTAssertFalse(result.err.contains(token))
        XCTAssertEqual(try elsewhere.stats()["requests"], 0, "no request, so no token, reached the other host")
        XCTAssertGreaterThan(try redirecting.stats()["requests"] ?? 0, 0)
        try assertQueued(repo, count: 2)
        for line in errorLines(result) {
            XCTAssertFalse(line.contains("\n"))
        }
    }

    func testACertificateThatDoesNotVerifyIsATLSErrorNotARetryLoop() throws {
        let repo = try GitSandbox()
        _ = try TaggedHistory(repo, count: 1, stories: 30...30)
        let server = try SelfSignedTLSServer(directory: repo.root)
        let result = try run(["replay", "HEAD", "--tracker-url", server.origin + "/services/v5"], repo)
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("TLS handshake with Tracker failed (CERTIFICATE_VERIFY_FAILED)"), result.err)
        XCTAssertTrue(result.err.contains("gave up after 1 attempt"), "a certificate problem is not retried: \(result.err)")
        XCTAssertFalse(result.err.contains(token))
        try assertQueued(repo, count: 1)
    }
}
