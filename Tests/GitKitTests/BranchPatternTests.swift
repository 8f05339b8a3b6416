import CommitBridgeCore
import GitTestSupport
import XCTest

/// `BranchFilter` against git itself: for every glob, the branches it selects are those
/// `git for-each-ref refs/heads/<glob>` lists (git matches ref patterns component-wise there).
final class BranchPatternTests: XCTestCase {
    /// Branch names with nesting (git cannot hold `release/1` and `release/1/...` at once).
    private let branches = ["main", "release/1", "release/2", "release/10", "release/3/hotfix", "release-3",
                            "hotfix/a/b", "feature/x", "a", "ab", "abc", "x.y", "Upper"]

    /// Globs only: a pattern without `*`, `?` or `[` is also a prefix for `for-each-ref`
    /// (`release` lists `release/1`), which a branch filter is not.
    private let globs = ["release/*", "release/**", "release/?", "release/??", "re**se/1", "**/hotfix", "release/**/hotfix",
                         "**", "*", "*/*", "*/*/*", "release/[!1]*", "release/[^1]*", "release/[0-9]", "release/[0-9]*",
                         "[[:alpha:]]*", "[[:upper:]]*", "[a-c]", "a?c", "?", "release/3/**", "release*", "rel*/1",
                         "*/1", "**/a/*", "hotfix/**", "x[.]y", "x.*", "[]]", "*[[:digit:]]", "release\\*"]

    func testGlobsSelectWhatGitForEachRefLists() throws {
        let sandbox = try GitSandbox()
        let repo = try sandbox.makeRepository("branches")
        try sandbox.commit(in: repo, "first")
        for branch in branches where branch != "main" {
            try sandbox.git(in: repo, ["branch", branch])
        }
        for glob in globs {
            let listed = try sandbox.git(in: repo, ["for-each-ref", "--format=%(refname)", "refs/heads/" + glob])
                .split(separator: "\n").map { String($0.dropFirst("refs/heads/".count)) }
            let filter = try BranchFilter(validating: [glob])
            XCTAssertEqual(Set(branches.filter(filter.matches)), Set(listed), "glob \(glob)")
        }
        // The fixture tells the two apart: one level against any depth.
        XCTAssertTrue(try BranchFilter(validating: ["release/**"]).matches("release/3/hotfix"))
        XCTAssertFalse(try BranchFilter(validating: ["release/*"]).matches("release/3/hotfix"))
    }
}
