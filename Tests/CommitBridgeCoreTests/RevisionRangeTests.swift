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
        for option in ["--reflog", "-n", "--glob=x", "--all=x", "--nota"] {
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

    func testParentForms() throws {
        XCTAssertEqual(try parse("main^!"), .alone("main"))
        XCTAssertEqual(try parse("^main^!"), .alone("main", negated: true))
        XCTAssertEqual(try parse("HEAD~2^@"), .parents(of: "HEAD~2"))
        XCTAssertEqual(try parse("^HEAD^@"), .parents(of: "HEAD", negated: true))
        XCTAssertEqual(try parse("m^-"), .beyondParent("m", parent: 1))
        XCTAssertEqual(try parse("m^-2"), .beyondParent("m", parent: 2))
        XCTAssertEqual(try parse("^m^-12"), .beyondParent("m", parent: 12, negated: true))
        for bad in ["m^-0", "m^-x", "m^--1"] {
            XCTAssertThrowsError(try parse(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("parent number"), "\(error)")
            }
        }
        // A range wins, as in git; a lone `^@` or `^!` is no revision's parents.
        XCTAssertEqual(try parse("a^!..b"), .range(exclude: "a^!", include: "b"))
        XCTAssertEqual(try parse("^@"), .exclude("@"))
    }

    func testRefOptionsAndNot() throws {
        XCTAssertEqual(try parse("--not"), .not)
        XCTAssertEqual(try parse("--all"), .references(try ReferenceSet(kind: .all)))
        XCTAssertEqual(try parse("--branches"), .references(try ReferenceSet(kind: .branches)))
        XCTAssertEqual(try parse("--tags=v1.*"), .references(try ReferenceSet(kind: .tags, glob: "v1.*")))
        XCTAssertEqual(try parse("--remotes=origin"), .references(try ReferenceSet(kind: .remotes, glob: "origin")))
        XCTAssertThrowsError(try parse("--branches=[")) { error in
            XCTAssertEqual("\(error)", "invalid glob in '--branches=[': its '[' is never closed by a ']'")
        }
        // As in git: a glob without `*`, `?` or `[` names a hierarchy; one with them is matched
        // against the whole name, `*` crossing slashes.
        let origin = try ReferenceSet(kind: .remotes, glob: "origin")
        XCTAssertTrue(origin.contains("refs/remotes/origin/main"))
        XCTAssertFalse(origin.contains("refs/remotes/origin"))
        XCTAssertFalse(origin.contains("refs/remotes/originals/main"))
        let release = try ReferenceSet(kind: .branches, glob: "release/*")
        XCTAssertTrue(release.contains("refs/heads/release/1/hotfix"))
        XCTAssertFalse(release.contains("refs/tags/release/1"))
        XCTAssertTrue(try ReferenceSet(kind: .all).contains("refs/notes/commits"))
        XCTAssertTrue(try ReferenceSet(kind: .all).includesHead)

        let range = try RevisionRange(parsing: ["a", "b^-", "--not", "c..d", "e^!", "--branches=x", "--not", "f"])
        XCTAssertEqual(range.texts, ["a", "b^-", "--not", "c..d", "e^!", "--branches=x", "--not", "f"])
        XCTAssertEqual(try RevisionRange(parsing: range.texts), range)
        // After `--not`, what is named counts the other way round.
        XCTAssertEqual(range.including, ["a", "b", "c", "f"])
        XCTAssertEqual(range.excluding, ["b^1", "d", "e"])
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
