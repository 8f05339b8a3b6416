import Foundation
import TestSupport
import XCTest

/// Exactly once under faults: injected failures, rate limits, and a process killed at random points.
final class DeliveryFaultTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func fixtures(stories: ClosedRange<Int64>) -> String {
        let list = stories.map { #"{"id":\#($0),"project_id":7,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        return #"{"projects":[{"id":7,"name":"Faults"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    /// Makes `count` tagged commits quickly with `git fast-import`; returns (sha, story) pairs.
    private func makeHistory(_ repo: GitSandbox, count: Int, stories: ClosedRange<Int64>) throws -> [(String, Int64)] {
        var stream = ""
        var storyOf: [Int64] = []
        for index in 0..<count {
            let story = stories.lowerBound + Int64(index) % Int64(stories.count)
            storyOf.append(story)
            let message = "Change \(index) [\(index % 3 == 0 ? "Fixes " : "")#\(story)]\n"
            let when = 1_700_000_000 + index * 60
            stream += "commit refs/heads/main\nmark :\(index + 1)\n"
            stream += "author Dev <dev@example.com> \(when) +0000\ncommitter Dev <dev@example.com> \(when) +0000\n"
            stream += "data \(message.utf8.count)\n\(message)\n"
            if index > 0 { stream += "from :\(index)\n" }
            stream += "M 644 inline f.txt\ndata \(String(index).utf8.count + 1)\n\(index)\n\n"
        }
        try repo.git(["fast-import", "--quiet"], stdin: Data(stream.utf8))
        try repo.git(["reset", "-q", "--hard", "main"])
        let shas = try repo.git(["rev-list", "--reverse", "HEAD"]).split(separator: "\n").map(String.init)
        XCTAssertEqual(shas.count, count)
        return Array(zip(shas, storyOf))
    }

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

    /// Every commit has exactly one comment on its story.
    private func assertExactlyOnce(_ sim: TrackerSimProcess, _ commits: [(String, Int64)], file: StaticString = #filePath, line: UInt = #line) throws {
        let stories = try sim.storiesByID()
        var byStory: [Int64: [String]] = [:]
        for story in Set(commits.map(\.1)) {
            let comments = stories[story]?["comments"] as? [[String: Any]] ?? []
            byStory[story] = comments.compactMap { $0["commit_identifier"] as? String }
        }
        for (sha, story) in commits {
            let count = byStory[story]?.filter { $0 == sha }.count ?? 0
            XCTAssertEqual(count, 1, "commit \(sha.prefix(7)) on story \(story)", file: file, line: line)
        }
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0, file: file, line: line)
    }

    func testFailuresAndRateLimitsStillDeliverEachCommitOnce() throws {
        let repo = try GitSandbox()
        let commits = try makeHistory(repo, count: 500, stories: 100...149)
        let sim = try TrackerSimProcess(fixtures: fixtures(stories: 100...149), token: token, directory: repo.root,
                                        arguments: ["--fail-rate", "0.3", "--rate-limit", "20", "--seed", "42"])
        let result = try replayThenFlush(repo, sim)
        XCTAssertEqual(result.status, 0, result.err)
        let stats = try sim.stats()
        XCTAssertGreaterThan(stats["injected_failures"] ?? 0, 0, "the run met failures")
        XCTAssertGreaterThan(stats["rate_limited"] ?? 0, 0, "the run met the rate limit")
        try assertExactlyOnce(sim, commits)
    }

    func testKilledAtRandomPointsNeverLosesOrDuplicates() throws {
        let repo = try GitSandbox()
        let commits = try makeHistory(repo, count: 80, stories: 200...209)
        let sim = try TrackerSimProcess(fixtures: fixtures(stories: 200...209), token: token, directory: repo.root,
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
        try assertExactlyOnce(sim, commits)
    }
}
