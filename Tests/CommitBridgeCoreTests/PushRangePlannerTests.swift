import CommitBridgeCore
import XCTest

final class PushRangePlannerTests: XCTestCase {
    private let zero = String(repeating: "0", count: 40)
    private func sha(_ c: Character) -> String { String(repeating: c, count: 40) }

    func testParsesHookInput() {
        let input = "\(sha("a")) \(sha("b")) refs/heads/main\nnot a line\n\(zero) \(sha("c")) refs/heads/new\r\n"
        let updates = PushUpdate.parse(input)
        XCTAssertEqual(updates.count, 2)
        XCTAssertEqual(updates[0], PushUpdate(old: sha("a"), new: sha("b"), ref: "refs/heads/main"))
        XCTAssertTrue(updates[1].isCreation)
        XCTAssertEqual(updates[1].branchName, "new")
    }

    func testUpdatedNewDeletedAndTagRefs() {
        let updates = [
            PushUpdate(old: sha("a"), new: sha("b"), ref: "refs/heads/main"),
            PushUpdate(old: zero, new: sha("c"), ref: "refs/heads/topic"),
            PushUpdate(old: sha("d"), new: zero, ref: "refs/heads/gone"),
            PushUpdate(old: zero, new: sha("e"), ref: "refs/tags/v1"),
        ]
        let refs = [(name: "refs/heads/main", commit: sha("b")), (name: "refs/heads/topic", commit: sha("c")),
                    (name: "refs/heads/other", commit: sha("f")), (name: "refs/tags/v1", commit: sha("e"))]
        let sets = PushRangePlanner(filter: BranchFilter([])).revisionSets(for: updates, references: refs)
        XCTAssertEqual(sets.count, 2)
        XCTAssertEqual(sets[0], .commits(reachableFrom: [sha("b")], excluding: [sha("a")]))
        // New branch: less what existed before: other (untouched), main's and gone's old tips.
        XCTAssertEqual(sets[1].including, [sha("c")])
        XCTAssertEqual(Set(sets[1].excluding), [sha("a"), sha("d"), sha("f")])
    }

    func testBranchFilterGlobs() {
        let filter = BranchFilter(["main", "release/*"])
        XCTAssertTrue(filter.matches("main"))
        XCTAssertTrue(filter.matches("release/1.0"))
        // As git matches ref patterns: `*` stays within one level, `**` crosses them.
        XCTAssertFalse(filter.matches("release/1.0/hotfix"))
        XCTAssertTrue(BranchFilter(["release/**"]).matches("release/1.0/hotfix"))
        XCTAssertFalse(filter.matches("mainline"))
        XCTAssertFalse(filter.matches("feature/x"))
        XCTAssertTrue(BranchFilter([]).matches("anything"))
        XCTAssertTrue(BranchFilter(["fix-?"]).matches("fix-1"))
        XCTAssertFalse(BranchFilter(["fix-?"]).matches("fix-12"))
        let updates = [PushUpdate(old: sha("a"), new: sha("b"), ref: "refs/heads/feature/x")]
        XCTAssertTrue(PushRangePlanner(filter: filter).revisionSets(for: updates, references: []).isEmpty)
    }
}
