import Foundation
import GitKit
import GitTestSupport
import XCTest

/// How failures are classified and described.
final class ErrorReportingTests: XCTestCase {
    private var sandbox: GitSandbox!

    override func setUpWithError() throws {
        sandbox = try GitSandbox()
    }

    override func tearDown() {
        sandbox = nil
    }

    func testAbbreviatedShaMatchingTwoObjectsIsAmbiguous() throws {
        let repo = try sandbox.makeRepository("many-objects")
        try sandbox.commit(in: repo, "first")
        // 3,000 distinct blobs make a shared 4-digit prefix practically certain (and, the contents
        // being fixed, always the same one).
        var stream = ""
        for number in 0..<3_000 {
            let content = "blob number \(number)\n"
            stream += "blob\ndata \(content.utf8.count)\n\(content)\n"
        }
        try sandbox.git(in: repo, ["fast-import", "--quiet"], input: Data(stream.utf8))
        let objects = try sandbox.git(in: repo, ["cat-file", "--batch-all-objects", "--batch-check=%(objectname)"])
            .split(separator: "\n")
        let byPrefix = Dictionary(grouping: objects, by: { $0.prefix(4) })
        guard let prefix = byPrefix.first(where: { $0.value.count > 1 })?.key else {
            return XCTFail("expected two objects sharing a 4-digit prefix")
        }

        XCTAssertThrowsError(try Repository.discover(at: repo).commit(String(prefix))) { error in
            guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)") }
            XCTAssertEqual(error.kind, .ambiguous)
            XCTAssertTrue(error.summary.hasPrefix("ambiguous revision '\(prefix)'"), error.summary)
        }
    }

    func testDescriptionsAreSingleLines() throws {
        let repo = try sandbox.makeRepository("lines")
        try sandbox.commit(in: repo, "first")
        XCTAssertThrowsError(try Repository.discover(at: repo).revisionList(["no\nsuch"])) { error in
            let description = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertFalse(description.contains("\n"), description)
            XCTAssertTrue(description.hasPrefix("unknown revision"), description)
        }
    }

    func testErrorCarriesLibgit2Text() throws {
        let repo = try sandbox.makeRepository("texts")
        try sandbox.commit(in: repo, "first")
        XCTAssertThrowsError(try Repository.discover(at: repo).commit("nope")) { error in
            guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)") }
            XCTAssertFalse(error.libgit2Message.isEmpty)
            XCTAssertEqual(error.summary, "unknown revision 'nope': \(error.libgit2Message)")
            XCTAssertEqual(error.localizedDescription, error.summary)
        }
    }

    func testRepositoryIsUsableFromSeveralThreads() throws {
        let repo = try sandbox.makeRepository("shared")
        for number in 1...20 { try sandbox.commit(in: repo, "commit \(number)") }
        let expected = try sandbox.revList(in: repo, ["main"])
        let repository = try Repository.discover(at: repo)
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let list = try repository.revisionList(["main"])
                var walked: [String] = []
                try repository.walk(["main"]) { walked.append($0.sha) }
                results.append(list == expected && walked == expected)
            } catch {
                results.append(false)
            }
        }
        XCTAssertEqual(results.values, Array(repeating: true, count: 8))
    }
}

/// Collects results from concurrent work.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Bool] = []

    func append(_ value: Bool) {
        lock.lock()
        defer { lock.unlock() }
        stored.append(value)
    }

    var values: [Bool] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
