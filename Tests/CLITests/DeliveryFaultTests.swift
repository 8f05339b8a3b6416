import Foundation
import TestSupport
import XCTest

/// Exactly once under faults: injected failures, rate limits, and a process killed at random points.
final class DeliveryFaultTests: XCTestCase {
    private let token = "sim-token-0123456789"

    /// Replays HEAD, then flushes while commits stay queued (exit 1), at most 5 times.
    private func replayThenFlush(_ repo: GitSandbox, _ sim: TrackerSimProcess) throws -> ProcessResult {
        let environment = ["TRACKER_TOKEN": token]
        var result = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", sim.apiURL], sandbox: repo, environment: environment)
        var rounds = 0
        while result.status == 1 && rounds < 5 {
            rounds += 1
            result = try CommitBridgeBinary.run(["flush", "--tracker-url", sim.apiURL], sandbox: repo, environment: environment)
        }
        return result
    }

    func testFailuresAndRateLimitsStillDeliverEachCommitOnce() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 500, stories: 100...149)
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 100...149), token: token, directory: repo.root,
                                        arguments: ["--fail-rate", "0.3", "--rate-limit", "20", "--seed", "42"])
        let result = try replayThenFlush(repo, sim)
        XCTAssertEqual(result.status, 0, result.err)
        let stats = try sim.stats()
        XCTAssertGreaterThan(stats["injected_failures"] ?? 0, 0, "the run met failures")
        XCTAssertGreaterThan(stats["rate_limited"] ?? 0, 0, "the run met the rate limit")
        try history.assertEachDeliveredOnce(to: sim)
    }

    func testKilledAtRandomPointsNeverLosesOrDuplicates() throws {
        let repo = try GitSandbox()
        let history = try TaggedHistory(repo, count: 80, stories: 200...209)
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 200...209), token: token, directory: repo.root,
                                        arguments: ["--latency-ms", "3", "--fail-rate", "0.1", "--seed", "7"])
        var generator = SystemRandomNumberGenerator()
        var env = repo.environment
        env["TRACKER_TOKEN"] = token
        for _ in 0..<20 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommitBridgeBinary.path)
            process.arguments = ["replay", "HEAD", "--tracker-url", sim.apiURL]
            process.currentDirectoryURL = URL(fileURLWithPath: repo.path)
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 20_000...400_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let result = try replayThenFlush(repo, sim)
        XCTAssertEqual(result.status, 0, result.err)
        try history.assertEachDeliveredOnce(to: sim)
    }
}
