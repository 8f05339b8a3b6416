import CommitBridgeCore
import XCTest

/// How `git rev-list` arguments are split into a `RevisionRange` before anything is resolved.
final class RevisionRangeTests: XCTestCase {
    private func parse(_ text: String) throws -> RevisionRange.Argument {
        try RevisionRange.Argument(parsing: text)
    }

    func testPlainRevisionIsIncluded() throws {
        XCTAssertEqual(try parse("main"), .include("main"))
        XCTAssertEqual(try parse("HEAD~3^2"), .include("HEAD~3^2"))
    }

    func testCaretPrefixExcludes() throws {
        XCTAssertEqual(try parse("^v1.0"), .exclude("v1.0"))
        // A caret elsewhere is revision syntax, not exclusion.
        XCTAssertEqual(try parse("main^"), .include("main^"))
    }

    func testDoubleDot() throws {
        XCTAssertEqual(try parse("v1.0..main"), .range(exclude: "v1.0", include: "main"))
        XCTAssertEqual(try parse("v1.0.."), .range(exclude: "v1.0", include: "HEAD"))
        XCTAssertEqual(try parse("..main"), .range(exclude: "HEAD", include: "main"))
        XCTAssertEqual(try parse(".."), .range(exclude: "HEAD", include: "HEAD"))
    }

    func testTripleDot() throws {
        XCTAssertEqual(try parse("a...b"), .symmetricDifference("a", "b"))
        XCTAssertEqual(try parse("a..."), .symmetricDifference("a", "HEAD"))
        XCTAssertEqual(try parse("...b"), .symmetricDifference("HEAD", "b"))
    }

    func testFirstDoubleDotDecides() throws {
        // Tag names may contain single dots; only the first ".." splits.
        XCTAssertEqual(try parse("v1.2.3..v1.3.0"), .range(exclude: "v1.2.3", include: "v1.3.0"))
        XCTAssertEqual(try parse("a....b"), .symmetricDifference("a", ".b"))
    }

    func testOptionsAreRejected() {
        for option in ["--all", "-n", "--not"] {
            XCTAssertThrowsError(try RevisionRange(parsing: ["main", option])) { error in
                XCTAssertEqual(error as? RevisionRangeError, RevisionRangeError(message: "unsupported rev-list option '\(option)'"))
            }
        }
        // A long option is quoted cut to 100 characters.
        let long = "--" + String(repeating: "x", count: 200)
        XCTAssertThrowsError(try RevisionRange(parsing: [long])) { error in
            XCTAssertEqual((error as? RevisionRangeError)?.message,
                           "unsupported rev-list option '\(long.prefix(99))…'")
        }
    }

    func testAListIsParsedInOrderAndShownBack() throws {
        let range = try RevisionRange(parsing: ["v1..main", "^old", "topic", "a...b", "..next"])
        XCTAssertEqual(range.arguments, [.range(exclude: "v1", include: "main"), .exclude("old"), .include("topic"),
                                         .symmetricDifference("a", "b"), .range(exclude: "HEAD", include: "next")])
        XCTAssertEqual(range.including, ["main", "topic", "a", "b", "next"])
        XCTAssertEqual(range.excluding, ["v1", "old", "HEAD"])
        XCTAssertEqual(range.texts, ["v1..main", "^old", "topic", "a...b", "HEAD..next"])
        XCTAssertEqual(range.description, "v1..main ^old topic a...b HEAD..next")
        // What is shown parses back to the same range.
        XCTAssertEqual(try RevisionRange(parsing: range.texts), range)
    }

    func testCommitsReachableFromSomeAndNotOthers() {
        let range = RevisionRange.commits(reachableFrom: ["main", "topic"], excluding: ["v1"])
        XCTAssertEqual(range.arguments, [.include("main"), .include("topic"), .exclude("v1")])
        XCTAssertEqual(range.description, "main topic ^v1")
        XCTAssertEqual(RevisionRange.commits(reachableFrom: ["HEAD"]).texts, ["HEAD"])
        XCTAssertTrue(RevisionRange().arguments.isEmpty)
    }
}
