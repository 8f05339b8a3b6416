import GitKit
import GitTestSupport
import XCTest

/// `Repository.references()` lists direct references with the commit they lead to.
final class ReferenceListTests: XCTestCase {
    func testBranchesTagsAndSymbolicReferences() throws {
        let sandbox = try GitSandbox()
        let repo = try sandbox.makeRepository("refs")
        let first = try sandbox.commit(in: repo, "first")
        let second = try sandbox.commit(in: repo, "second")
        try sandbox.git(in: repo, ["branch", "old", first])
        try sandbox.git(in: repo, ["tag", "-a", "-m", "annotated", "v1", first])
        try sandbox.git(in: repo, ["tag", "light", second])
        let tree = try sandbox.git(in: repo, ["rev-parse", "HEAD^{tree}"])
        try sandbox.git(in: repo, ["tag", "treetag", tree])
        try sandbox.git(in: repo, ["symbolic-ref", "refs/heads/alias", "refs/heads/main"])

        let refs = Dictionary(uniqueKeysWithValues: try Repository.discover(at: repo).references().map { ($0.name, $0.commit) })
        XCTAssertEqual(refs["refs/heads/main"], second)
        XCTAssertEqual(refs["refs/heads/old"], first)
        XCTAssertEqual(refs["refs/tags/v1"], first, "annotated tags are peeled to their commit")
        XCTAssertEqual(refs["refs/tags/light"], second)
        XCTAssertNil(refs["refs/tags/treetag"], "a tag of a tree leads to no commit")
        XCTAssertNil(refs["refs/heads/alias"], "symbolic references are left out")
        XCTAssertEqual(refs.count, 4)
    }
}
