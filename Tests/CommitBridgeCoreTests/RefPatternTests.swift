import CommitBridgeCore
import XCTest

/// Ref globs as git's wildmatch reads them, and the patterns it would match nothing with.
final class RefPatternTests: XCTestCase {
    private func matches(_ pattern: String, _ name: String, pathname: Bool = true) throws -> Bool {
        try RefPattern(validating: pattern).matches(name, pathname: pathname)
    }

    func testStarStaysWithinOneComponent() throws {
        XCTAssertTrue(try matches("release/*", "release/1"))
        XCTAssertFalse(try matches("release/*", "release/1/hotfix"))
        XCTAssertFalse(try matches("release/*", "release"))
        XCTAssertTrue(try matches("release/**", "release/1"))
        XCTAssertTrue(try matches("release/**", "release/1/hotfix"))
        XCTAssertTrue(try matches("**/hotfix", "hotfix"))
        XCTAssertTrue(try matches("**/hotfix", "release/1/hotfix"))
        XCTAssertTrue(try matches("release/**/hotfix", "release/hotfix"))
        XCTAssertTrue(try matches("release/**/hotfix", "release/1/2/hotfix"))
        XCTAssertFalse(try matches("release/**/hotfix", "release/1/hotfixes"))
        // `**` not standing between slashes is one `*`.
        XCTAssertTrue(try matches("re**se/1", "release/1"))
        XCTAssertFalse(try matches("re**se/1", "re/lease/1"))
        XCTAssertFalse(try matches("*", "a/b"))
        XCTAssertTrue(try matches("*/*", "a/b"))
        // Whole-name matching (`--branches=<glob>`): `*` crosses slashes.
        XCTAssertTrue(try matches("refs/heads/release/*", "refs/heads/release/1/hotfix", pathname: false))
    }

    func testQuestionMarkAndClasses() throws {
        XCTAssertTrue(try matches("release/?", "release/1"))
        XCTAssertFalse(try matches("release/?", "release/10"))
        XCTAssertFalse(try matches("release?1", "release/1"), "? does not match a slash")
        XCTAssertTrue(try matches("release?1", "release/1", pathname: false))
        XCTAssertTrue(try matches("release/[0-9]", "release/7"))
        XCTAssertFalse(try matches("release/[0-9]", "release/x"))
        XCTAssertTrue(try matches("release/[!1]", "release/2"))
        XCTAssertFalse(try matches("release/[!1]", "release/1"))
        XCTAssertTrue(try matches("release/[^1]", "release/2"))
        XCTAssertFalse(try matches("a[/]b", "a/b"), "a class does not match a slash")
        XCTAssertTrue(try matches("[[:alpha:]][[:digit:]]", "v1"))
        XCTAssertFalse(try matches("[[:alpha:]][[:digit:]]", "11"))
        XCTAssertTrue(try matches("[]]", "]"), "a ] first in a class is itself")
        XCTAssertTrue(try matches("[a-]", "-"))
        XCTAssertTrue(try matches("x\\*", "x*"))
        XCTAssertFalse(try matches("x\\*", "xy"))
        XCTAssertTrue(try matches("main", "main"))
        XCTAssertFalse(try matches("main", "main2"))
    }

    func testInvalidPatternsAreRefused() {
        for (pattern, reason) in [("[", "never closed"), ("release/[0-9", "never closed"), ("[]", "never closed"),
                                  ("[!]", "never closed"), ("a\\", "lone backslash"), ("[[:foo:]]", "not a character class"),
                                  ("", "empty")] {
            XCTAssertThrowsError(try RefPattern(validating: pattern), pattern) { error in
                let error = error as? RefPatternError
                XCTAssertEqual(error?.pattern, pattern)
                XCTAssertTrue(error?.description.contains(reason) ?? false, "\(pattern): \(String(describing: error))")
                XCTAssertTrue(error?.description.hasPrefix("invalid branch pattern '\(pattern)'") ?? false)
            }
        }
    }

    func testBranchFilter() throws {
        XCTAssertTrue(try BranchFilter(validating: []).matches("anything/at/all"))
        let filter = try BranchFilter(validating: ["main", "release/*"])
        XCTAssertTrue(filter.matches("main"))
        XCTAssertTrue(filter.matches("release/2"))
        XCTAssertFalse(filter.matches("release/2/hotfix"))
        XCTAssertFalse(filter.matches("mainline"))
        XCTAssertThrowsError(try BranchFilter(validating: ["main", "["]))
        XCTAssertThrowsError(try BranchFilter(validating: [""]))
        // Unchecked, an invalid pattern selects nothing (as git matches nothing), never everything.
        XCTAssertFalse(BranchFilter(["["]).matches("main"))
        XCTAssertTrue(BranchFilter(["[", "main"]).matches("main"))
    }
}
