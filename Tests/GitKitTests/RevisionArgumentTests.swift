@testable import GitKit
import XCTest

/// How one `git rev-list` argument is split before anything is resolved.
final class RevisionArgumentTests: XCTestCase {
    func testPlainRevisionIsIncluded() throws {
        XCTAssertEqual(try RevisionArgument.parse("main"), .include("main"))
        XCTAssertEqual(try RevisionArgument.parse("HEAD~3^2"), .include("HEAD~3^2"))
    }

    func testCaretPrefixExcludes() throws {
        XCTAssertEqual(try RevisionArgument.parse("^v1.0"), .exclude("v1.0"))
        // A caret elsewhere is revision syntax, not exclusion.
        XCTAssertEqual(try RevisionArgument.parse("main^"), .include("main^"))
    }

    func testDoubleDot() throws {
        XCTAssertEqual(try RevisionArgument.parse("v1.0..main"), .range(exclude: "v1.0", include: "main"))
        XCTAssertEqual(try RevisionArgument.parse("v1.0.."), .range(exclude: "v1.0", include: "HEAD"))
        XCTAssertEqual(try RevisionArgument.parse("..main"), .range(exclude: "HEAD", include: "main"))
        XCTAssertEqual(try RevisionArgument.parse(".."), .range(exclude: "HEAD", include: "HEAD"))
    }

    func testTripleDot() throws {
        XCTAssertEqual(try RevisionArgument.parse("a...b"), .symmetricDifference("a", "b"))
        XCTAssertEqual(try RevisionArgument.parse("a..."), .symmetricDifference("a", "HEAD"))
        XCTAssertEqual(try RevisionArgument.parse("...b"), .symmetricDifference("HEAD", "b"))
    }

    func testFirstDoubleDotDecides() throws {
        // Tag names may contain single dots; only the first ".." splits.
        XCTAssertEqual(try RevisionArgument.parse("v1.2.3..v1.3.0"), .range(exclude: "v1.2.3", include: "v1.3.0"))
    }

    func testOptionsAreRejected() {
        for option in ["--all", "-n", "--not"] {
            XCTAssertThrowsError(try RevisionArgument.parse(option)) { error in
                XCTAssertEqual((error as? GitError)?.kind, .invalidRange)
            }
        }
    }
}
