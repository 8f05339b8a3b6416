import Foundation
import TestSupport
import XCTest

/// Every command that takes `--json`, run through the real binary against a real repository and
/// tracker-sim: stdout holds nothing but JSON, and each line (or the one document) has the keys and
/// types docs/json.md gives, with values that match what happened.
final class JSONOutputTests: XCTestCase {
    private let token = "sim-token-0123456789"

    /// A JSON type as docs/json.md names it.
    indirect enum Shape: Sendable {
        case string, number, stringOrNull
        case object([String: Shape])
        case objectOrNull([String: Shape])
        case array(Shape)
    }

    static let reference = Shape.object(["story": .number, "action": .string])
    static let planned = Shape.object([
        "commit": .string, "references": .array(reference),
        "payload": .object(["source_commit": .object(["commit_id": .string, "message": .string, "author": .string])]),
    ])
    static let explanation = Shape.object([
        "commit": .string, "subject": .string, "verdict": .string, "reason": .string, "detail": .string, "original": .stringOrNull,
    ])
    static let parseResult = Shape.object(["references": .array(reference), "warnings": .array(.string)])
    static let status = Shape.object([
        "state_directory": .string,
        "trackers": .array(.object([
            "tracker": .string, "queued": .number, "waiting_for_push": .number, "dropped_unposted": .number,
            "oldest": .objectOrNull(["commit": .string, "queued_at": .string, "attempts": .number]),
            "last_error": .stringOrNull, "delivered": .number,
            "story_cache": .object(["entries": .number, "hits": .number, "misses": .number]),
        ])),
    ])
    static let delivery = Shape.object([
        "command": .string, "nothing_to_post": .stringOrNull, "posted": .number, "already_on_tracker": .number,
        "already_delivered": .array(.object(["commit": .string, "as": .string])),
        "undelivered": .array(.object(["commit": .string, "reason": .string])),
        "waiting_for_stories": .array(.string),
        "stories_not_found": .array(.object(["story": .number, "commits": .number])),
        "story_lookups": .number, "authentication_problem": .stringOrNull,
        "scan": .objectOrNull(["scanned": .number, "tagged": .number, "untagged": .number, "merges_skipped": .number,
                               "reverts": .number, "shortened": .number, "warnings": .number]),
        "ci": .objectOrNull(["provider": .string, "range": .string, "deepened_by": .number, "shortfall": .stringOrNull]),
    ])

    /// Problems with `value` against `shape`, each naming its path; empty when it conforms. An
    /// object must hold exactly the keys listed, except `payload`'s `source_commit`, whose `url`
    /// is left out when there is no commit URL.
    static func problems(_ value: Any, _ shape: Shape, at path: String = "$") -> [String] {
        switch shape {
        case .string:
            return value is String ? [] : ["\(path): not a string: \(value)"]
        case .number:
            guard let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded() else {
                return ["\(path): not a whole number: \(value)"]
            }
            return []
        case .stringOrNull:
            return value is String || value is NSNull ? [] : ["\(path): neither a string nor null: \(value)"]
        case .objectOrNull(let keys):
            return value is NSNull ? [] : problems(value, .object(keys), at: path)
        case .array(let element):
            guard let items = value as? [Any] else { return ["\(path): not an array: \(value)"] }
            return items.enumerated().flatMap { problems($0.element, element, at: "\(path)[\($0.offset)]") }
        case .object(let keys):
            guard let object = value as? [String: Any] else { return ["\(path): not an object: \(value)"] }
            var found: [String] = []
            let optional: Set<String> = path.hasSuffix("source_commit") ? ["url"] : []
            for key in Set(object.keys).subtracting(keys.keys).subtracting(optional) { found.append("\(path): unexpected key '\(key)'") }
            for (key, keyShape) in keys {
                guard let item = object[key] else {
                    found.append("\(path): missing key '\(key)'")
                    continue
                }
                found += problems(item, keyShape, at: "\(path).\(key)")
            }
            if let url = object["url"], !optional.isEmpty, !(url is String) { found.append("\(path).url: not a string") }
            return found
        }
    }

    /// Every stdout line parsed as one JSON object conforming to `shape` (a stream).
    private func stream(_ result: ProcessResult, _ shape: Shape, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        XCTAssertTrue(result.out.isEmpty || result.out.hasSuffix("\n"), result.out, file: file, line: line)
        return try result.outLines.map { text in
            let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
            XCTAssertEqual(Self.problems(value, shape), [], text, file: file, line: line)
            return try XCTUnwrap(value as? [String: Any], file: file, line: line)
        }
    }

    /// stdout parsed as exactly one JSON document on one line, conforming to `shape`.
    private func document(_ result: ProcessResult, _ shape: Shape, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(result.outLines.count, 1, "one document on one line: \(result.out) / \(result.err)", file: file, line: line)
        let value = try JSONSerialization.jsonObject(with: result.stdout)
        XCTAssertEqual(Self.problems(value, shape), [], result.out, file: file, line: line)
        return try XCTUnwrap(value as? [String: Any], file: file, line: line)
    }

    private func run(_ arguments: [String], _ repo: GitSandbox, stdin: String? = nil, env: [String: String] = [:]) throws -> ProcessResult {
        var environment = env
        environment["TRACKER_TOKEN"] = token
        return try CommitBridgeBinary.run(arguments, stdin: stdin, sandbox: repo, environment: environment)
    }

    private func fixtures(_ stories: ClosedRange<Int64>) -> String {
        let list = stories.map { #"{"id":\#($0),"project_id":5,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        return #"{"projects":[{"id":5,"name":"JSON"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    func testEveryJSONOutputIsOnlyJSONWithTheDocumentedShape() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(fixtures: fixtures(1...3), token: token, directory: repo.root)
        let url = ["--tracker-url", sim.apiURL]
        let one = try repo.commit("Start [#1]")
        try repo.commit("no tags here")
        let two = try repo.commit("Finish [Fixes #2]")
        let missing = try repo.commit("Waits [#404]")
        let three = try repo.commit("Ship [#3 delivers]")

        // Dry runs: one planned commit a line, oldest first; nothing for the untagged commit.
        let dryRun = try stream(try run(["replay", "HEAD", "--dry-run", "--json"] + url, repo), Self.planned)
        XCTAssertEqual(dryRun.map { $0["commit"] as? String }, [one, two, missing, three])
        let ciDryRun = try stream(try run(["ci", "--range", "HEAD~2..HEAD", "--dry-run", "--offline", "--json"], repo), Self.planned)
        XCTAssertEqual(ciDryRun.map { $0["commit"] as? String }, [missing, three])

        // A delivery: three posted, one waits for story 404 (not a failure: exit 0).
        let replayed = try run(["replay", "HEAD", "--json"] + url, repo)
        XCTAssertEqual(replayed.status, 0, replayed.err)
        let report = try document(replayed, Self.delivery)
        XCTAssertEqual(report["command"] as? String, "replay")
        XCTAssertEqual(report["posted"] as? Int, 3)
        XCTAssertEqual(report["waiting_for_stories"] as? [String], [missing])
        XCTAssertEqual((report["stories_not_found"] as? [[String: Int]])?.first, ["story": 404, "commits": 1])
        XCTAssertEqual((report["scan"] as? [String: Int])?["scanned"], 5)
        XCTAssertEqual((report["scan"] as? [String: Int])?["tagged"], 4)
        XCTAssertTrue(report["ci"] is NSNull)
        XCTAssertEqual(try sim.stats()["source_commits"], 3)
        XCTAssertTrue(replayed.err.contains("delivered 3 commits"), "the summary stays on stderr: \(replayed.err)")

        // flush: one pass over the queue (the waiting commit), no scan.
        let flushed = try document(try run(["flush", "--json"] + url, repo), Self.delivery)
        XCTAssertEqual(flushed["command"] as? String, "flush")
        XCTAssertTrue(flushed["nothing_to_post"] is NSNull)
        XCTAssertEqual(flushed["waiting_for_stories"] as? [String], [missing])
        XCTAssertTrue(flushed["scan"] is NSNull)
        let empty = try document(try run(["flush", "--json", "--state-dir", repo.root + "/empty-state"] + url, repo), Self.delivery)
        XCTAssertEqual(empty["nothing_to_post"] as? String, "nothing queued")
        XCTAssertEqual(empty["posted"] as? Int, 0)

        // status: the queue holds the waiting commit, the ledger the three posted.
        let status = try document(try run(["status", "--json"] + url, repo), Self.status)
        let tracker = try XCTUnwrap((status["trackers"] as? [[String: Any]])?.first)
        XCTAssertEqual(tracker["queued"] as? Int, 1)
        XCTAssertEqual(tracker["delivered"] as? Int, 3)
        XCTAssertEqual((tracker["oldest"] as? [String: Any])?["commit"] as? String, missing)

        // explain: one explanation a commit, in the order named.
        let explained = try stream(try run(["explain", "--json", one, "HEAD~3", missing] + url, repo), Self.explanation)
        XCTAssertEqual(explained.map { $0["verdict"] as? String }, ["posted", "will-not-post", "will-post"])

        // parse
        let parsed = try document(try run(["parse", "--json"], repo, stdin: "[finsihes #12] x"), Self.parseResult)
        XCTAssertEqual((parsed["warnings"] as? [String])?.count, 1)

        // ci delivering a range: its facts come with the delivery.
        let four = try repo.commit("More [#1]")
        let ci = try run(["ci", "--range", "HEAD~1..HEAD", "--json"] + url, repo)
        XCTAssertEqual(ci.status, 0, ci.err)
        let ciReport = try document(ci, Self.delivery)
        XCTAssertEqual(ciReport["posted"] as? Int, 1)
        let facts = try XCTUnwrap(ciReport["ci"] as? [String: Any])
        XCTAssertEqual(facts["provider"] as? String, "--range")
        XCTAssertEqual(facts["deepened_by"] as? Int, 0)
        XCTAssertTrue((facts["range"] as? String)?.contains("HEAD") == true, "\(facts)")
        XCTAssertEqual(try sim.commitIdentifiers(project: 5, story: 1).sorted(), [one, four].sorted())
        for result in [replayed, ci] { XCTAssertFalse(result.out.contains(token) || result.err.contains(token)) }
    }

    func testADeliveryThatLeavesCommitsQueuedWritesItsDocumentAndExitsOne() throws {
        let repo = try GitSandbox()
        let first = try repo.commit("One [#1]")
        let second = try repo.commit("Two [#2]")
        // Nothing listens on port 9: every look-up fails, and the commits stay queued.
        let result = try run(["replay", "HEAD", "--json", "--tracker-url", "http://127.0.0.1:9/services/v5"], repo)
        XCTAssertEqual(result.status, 1, result.err)
        let report = try document(result, Self.delivery)
        let undelivered = try XCTUnwrap(report["undelivered"] as? [[String: String]])
        XCTAssertEqual(undelivered.compactMap { $0["commit"] }, [first, second].sorted())
        XCTAssertEqual(report["posted"] as? Int, 0)
        let errors = result.err.split(separator: "\n").filter { $0.hasPrefix("commitbridge: ") }
        XCTAssertEqual(errors.count, 1, result.err)

        // An error before any delivery is one line and no document.
        let noToken = try CommitBridgeBinary.run(["flush", "--json", "--tracker-url", "http://127.0.0.1:9/services/v5"], sandbox: repo)
        assertOneLineError(noToken, status: 2, contains: "token")
    }

    func testTheShapeCheckerRejectsWhatTheDocumentDoesNotPromise() throws {
        // The checker itself can fail: a missing key, an extra key, a wrong type.
        XCTAssertFalse(Self.problems(["commit": "a", "references": []], Self.planned).isEmpty)
        XCTAssertFalse(Self.problems(["references": [], "warnings": [], "extra": 1], Self.parseResult).isEmpty)
        XCTAssertFalse(Self.problems(["references": [["story": "12", "action": "mention"]], "warnings": []], Self.parseResult).isEmpty)
        XCTAssertEqual(Self.problems(["references": [["story": 12, "action": "mention"]], "warnings": ["w"]], Self.parseResult), [])
    }
}
