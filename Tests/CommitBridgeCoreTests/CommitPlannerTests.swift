import CommitBridgeCore
import XCTest

final class CommitPlannerTests: XCTestCase {
    private let sha = String(repeating: "a", count: 40)

    private func snapshot(_ message: String, parents: Int = 1) -> CommitSnapshot {
        CommitSnapshot(sha: sha, message: message, authorName: "Grace Hopper", authorEmail: "g@example.com", parentCount: parents)
    }

    private func planner(merges: Bool = false, template: String? = "https://h/{sha}") -> CommitPlanner {
        CommitPlanner(options: PlanningOptions(includeMerges: merges), urlBuilder: CommitURLBuilder(template: template, remoteURL: nil))
    }

    func testTaggedCommitPayload() throws {
        guard case .post(let planned) = planner().plan(snapshot("[Fixes #555] crash\n")) else {
            return XCTFail("expected a post")
        }
        XCTAssertEqual(planned.references, [StoryReference(story: 555, action: .finish)])
        XCTAssertEqual(planned.payload.json.serialized(),
                       #"{"source_commit":{"commit_id":"\#(sha)","message":"[Fixes #555] crash\n","url":"https://h/\#(sha)","author":"Grace Hopper"}}"#)
        XCTAssertEqual(planned.dryRunJSON.serialized(),
                       #"{"commit":"\#(sha)","references":[{"story":555,"action":"finish"}],"payload":\#(planned.payload.json.serialized())}"#)
    }

    func testURLKeyLeftOutWhenUnknown() {
        guard case .post(let planned) = planner(template: nil).plan(snapshot("[#1] x")) else { return XCTFail() }
        XCTAssertFalse(planned.payload.json.serialized().contains("\"url\""))
    }

    func testUntaggedAndMergeSkipped() {
        XCTAssertEqual(planner().plan(snapshot("no tags here")), .skip(sha: sha, reason: .untagged, warnings: []))
        XCTAssertEqual(planner().plan(snapshot("Merge branch 'x' [#1]", parents: 2)), .skip(sha: sha, reason: .merge, warnings: []))
        guard case .post = planner(merges: true).plan(snapshot("Merge branch 'x' [#1]", parents: 2)) else {
            return XCTFail("--merges posts merges")
        }
    }

    func testRevertDropsVerbs() {
        guard case .post(let planned) = planner().plan(snapshot("Revert \"Ship it [Delivers #77]\"\n\nThis reverts commit x.\n")) else {
            return XCTFail()
        }
        XCTAssertTrue(planned.revertRewritten)
        XCTAssertEqual(planned.references, [StoryReference(story: 77, action: .mention)])
        XCTAssertTrue(planned.payload.message.hasPrefix("Revert \"Ship it [#77]\""))
    }

    func testJSONEscaping() {
        let value = JSONValue.object([("m", .string("quote \" back \\ nl \n tab \t ctl \u{01} é / 😀"))])
        XCTAssertEqual(value.serialized(), #"{"m":"quote \" back \\ nl \n tab \t ctl \u0001 é / 😀"}"#)
    }
}
