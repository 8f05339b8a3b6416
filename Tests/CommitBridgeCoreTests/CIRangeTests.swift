import CommitBridgeCore
import Foundation
import XCTest

final class CIRangeTests: XCTestCase {
    // MARK: - Fixtures

    private static let old = "1f0e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
    private static let new = "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d"
    private static let zeros = String(repeating: "0", count: 40)
    private static let eventPath = "/home/runner/work/_temp/_github_workflow/event.json"

    private struct NoSuchFile: Error, LocalizedError {
        var path: String
        var errorDescription: String? { "no such file: \(path)" }
    }

    /// A detector whose only readable files are `files`.
    private func detector(_ environment: [String: String], files: [String: String] = [:]) -> CIRangeDetector {
        CIRangeDetector(environment: environment) { path in
            guard let text = files[path] else { throw NoSuchFile(path: path) }
            return Array(text.utf8)
        }
    }

    private func gitHub(event: String = "push", _ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": Self.eventPath,
            "GITHUB_SHA": Self.new,
            "GITHUB_REF": "refs/heads/main",
            "CI": "true",
        ]
        environment.merge(extra) { $1 }
        return environment
    }

    private func gitLab(_ extra: [String: String]) -> [String: String] {
        var environment = ["GITLAB_CI": "true", "CI": "true", "CI_PIPELINE_SOURCE": "push"]
        environment.merge(extra) { $1 }
        return environment
    }

    /// Detects a GitHub push whose event file holds `json`.
    private func push(_ json: String, environment: [String: String] = [:]) throws -> CIRange {
        try detector(gitHub(environment), files: [Self.eventPath: json]).detect(explicitRange: nil)
    }

    private func pushJSON(
        ref: String = "refs/heads/main", before: String = CIRangeTests.old, after: String = CIRangeTests.new,
        created: Bool = false, deleted: Bool = false, forced: Bool = false
    ) -> String {
        """
        {"ref": "\(ref)", "before": "\(before)", "after": "\(after)",
         "created": \(created), "deleted": \(deleted), "forced": \(forced), "base_ref": null}
        """
    }

    private func assertError(
        _ expected: CIRangeError, _ body: @autoclosure () throws -> CIRange,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let range = try body()
            XCTFail("expected \(expected), got \(range)", file: file, line: line)
        } catch let error as CIRangeError {
            XCTAssertEqual(error, expected, file: file, line: line)
        } catch {
            XCTFail("expected \(expected), got a \(type(of: error)): \(error)", file: file, line: line)
        }
    }

    private func gitHubRange(_ revisions: [String], note: String? = nil) -> CIRange {
        self.revisions(revisions, provider: .githubActions, note: note)
    }

    /// A range given as `git rev-list` arguments.
    private func revisions(_ texts: [String], provider: CIProvider, note: String?) -> CIRange {
        .revisions(try! RevisionRange(parsing: texts), provider: provider, note: note)
    }

    // MARK: - --range

    func testExplicitRangeIsSplitOnWhitespace() throws {
        let range = try detector([:]).detect(explicitRange: " v1.0..main \t^legacy\n  origin/release ")
        XCTAssertEqual(range, revisions(["v1.0..main", "^legacy", "origin/release"], provider: .explicit, note: nil))
        // Parsed once, here: an option is refused with the walk's own words.
        XCTAssertThrowsError(try detector([:]).detect(explicitRange: "v1.0..main --reflog origin/release")) { error in
            XCTAssertEqual(error as? CIRangeError, .badRange("unsupported rev-list option '--reflog'"))
        }
    }

    func testExplicitRangeWinsOverDetectedCI() throws {
        let expected = revisions(["origin/main..HEAD"], provider: .explicit, note: nil)
        let gitHubPush = detector(gitHub(), files: [Self.eventPath: pushJSON()])
        XCTAssertEqual(try gitHubPush.detect(explicitRange: "origin/main..HEAD"), expected)
        // Even a CI setup that would fail on its own is not looked at.
        let brokenGitHub = detector(["GITHUB_ACTIONS": "true"])
        XCTAssertEqual(try brokenGitHub.detect(explicitRange: "origin/main..HEAD"), expected)
        let gitLabTag = detector(gitLab(["CI_COMMIT_TAG": "v2", "CI_COMMIT_SHA": Self.new]))
        XCTAssertEqual(try gitLabTag.detect(explicitRange: "origin/main..HEAD"), expected)
    }

    func testEmptyExplicitRangeIsAnError() {
        assertError(.emptyRange, try detector([:]).detect(explicitRange: ""))
        assertError(.emptyRange, try detector(gitHub(), files: [Self.eventPath: pushJSON()]).detect(explicitRange: " \n\t"))
    }

    // MARK: - No CI

    func testNoCIDetected() {
        assertError(.unknownCI, try detector([:]).detect(explicitRange: nil))
        assertError(.unknownCI, try detector(["CI": "true", "GITHUB_ACTIONS": "false", "GITLAB_CI": ""]).detect(explicitRange: nil))
        // A GitHub workflow's other variables without GITHUB_ACTIONS=true are not GitHub Actions.
        assertError(.unknownCI, try detector(["GITHUB_EVENT_NAME": "push", "GITHUB_SHA": Self.new]).detect(explicitRange: nil))
        XCTAssertEqual(
            CIRangeError.unknownCI.errorDescription,
            "no CI detected: pass --range <range> (GitHub Actions and GitLab CI are detected from their variables)")
    }

    func testDetectionFlagIsCaseInsensitive() throws {
        XCTAssertEqual(try detector(["GITLAB_CI": "TRUE", "CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": Self.old])
            .detect(explicitRange: nil),
            revisions(["\(Self.old)..\(Self.new)"], provider: .gitlabCI, note: nil))
    }

    func testGitHubActionsIsTriedBeforeGitLab() throws {
        var environment = gitHub()
        environment.merge(gitLab(["CI_COMMIT_TAG": "v1", "CI_COMMIT_SHA": Self.new])) { $1 }
        XCTAssertEqual(
            try detector(environment, files: [Self.eventPath: pushJSON()]).detect(explicitRange: nil),
            gitHubRange(["\(Self.old)..\(Self.new)"]))
    }

    // MARK: - GitHub Actions push

    func testOrdinaryPushIsBeforeDotDotAfter() throws {
        XCTAssertEqual(try push(pushJSON()), gitHubRange(["\(Self.old)..\(Self.new)"]))
    }

    func testRealisticPayloadWithManyOtherFields() throws {
        let json = """
        {
          "ref": "refs/heads/main",
          "before": "\(Self.old)",
          "after": "\(Self.new)",
          "base_ref": null,
          "compare": "https://github.com/acme/shop/compare/1f0e2d3c4b5a...9a8b7c6d5e4f",
          "created": false,
          "deleted": false,
          "forced": false,
          "commits": [
            {"id": "\(Self.new)", "distinct": true, "message": "Ship the cart [finishes #1234]",
             "timestamp": "2024-05-01T10:00:00Z", "author": {"name": "Ada", "email": "ada@example.com"},
             "added": [], "removed": [], "modified": ["Cart.swift"]}
          ],
          "head_commit": {"id": "\(Self.new)", "tree_id": "\(Self.zeros)"},
          "pusher": {"name": "ada", "email": "ada@example.com"},
          "repository": {"id": 42, "full_name": "acme/shop", "private": true, "size": 1.5e3,
                         "topics": ["a", "b"], "owner": {"login": "acme"}},
          "sender": {"login": "ada", "id": 7}
        }
        """
        XCTAssertEqual(try push(json), gitHubRange(["\(Self.old)..\(Self.new)"]))
    }

    func testForcePushExcludesTheOldTip() throws {
        XCTAssertEqual(
            try push(pushJSON(forced: true)),
            gitHubRange([Self.new, "^\(Self.old)"], note: CIRangeDetector.forcePushNote))
        XCTAssertEqual(CIRangeDetector.forcePushNote, "force-push: only the commits no other remote branch holds, and never delivered, are posted")
    }

    func testCreatedBranchIsTheWholeHistoryOfAfter() throws {
        let expected = gitHubRange([Self.new], note: CIRangeDetector.newBranchNote)
        XCTAssertEqual(try push(pushJSON(before: Self.zeros, created: true)), expected)
        // `created` alone decides, whatever `before` holds.
        XCTAssertEqual(try push(pushJSON(before: Self.old, created: true)), expected)
        XCTAssertEqual(try push(pushJSON(before: "not a commit", created: true)), expected)
        // A new branch that was force-pushed is still a new branch.
        XCTAssertEqual(try push(pushJSON(before: Self.zeros, created: true, forced: true)), expected)
        XCTAssertEqual(
            CIRangeDetector.newBranchNote,
            "new branch: only the commits no other remote branch holds are considered")
    }

    func testAllZeroOrMissingBeforeIsANewBranch() throws {
        let expected = gitHubRange([Self.new], note: CIRangeDetector.newBranchNote)
        XCTAssertEqual(try push(pushJSON(before: Self.zeros)), expected)
        XCTAssertEqual(try push(pushJSON(before: Self.zeros, forced: true)), expected)
        XCTAssertEqual(try push(pushJSON(before: String(repeating: "0", count: 64), after: String(repeating: "b", count: 64))),
                       gitHubRange([String(repeating: "b", count: 64)], note: CIRangeDetector.newBranchNote))
        XCTAssertEqual(try push(#"{"ref": "refs/heads/main", "after": "\#(Self.new)"}"#), expected)
        XCTAssertEqual(try push(#"{"ref": "refs/heads/main", "before": null, "after": "\#(Self.new)"}"#), expected)
    }

    func testDeletedBranchPostsNothing() throws {
        XCTAssertEqual(try push(pushJSON(after: Self.zeros, deleted: true)), .nothing(reason: "branch deleted"))
        // An all-zero `after` is a deletion even without the flag.
        XCTAssertEqual(try push(pushJSON(after: Self.zeros)), .nothing(reason: "branch deleted"))
        XCTAssertEqual(try push(pushJSON(after: String(repeating: "0", count: 64))), .nothing(reason: "branch deleted"))
        // With the flag, `after` is not looked at.
        XCTAssertEqual(try push(#"{"ref": "refs/heads/gone", "deleted": true, "after": "junk"}"#), .nothing(reason: "branch deleted"))
        XCTAssertEqual(try push(#"{"ref": "refs/heads/gone", "deleted": true}"#), .nothing(reason: "branch deleted"))
    }

    func testTagPushPostsNothing() throws {
        XCTAssertEqual(try push(pushJSON(ref: "refs/tags/v1.2.0")), .nothing(reason: "tag push"))
        XCTAssertEqual(try push(pushJSON(ref: "refs/tags/v1.2.0", before: Self.zeros, created: true)), .nothing(reason: "tag push"))
        XCTAssertEqual(try push(pushJSON(ref: "refs/tags/v1.2.0", after: Self.zeros, deleted: true)), .nothing(reason: "tag push"))
        // Without `ref` in the event, GITHUB_REF decides.
        XCTAssertEqual(try push(#"{"before": "\#(Self.old)", "after": "\#(Self.new)"}"#, environment: ["GITHUB_REF": "refs/tags/v3"]),
                       .nothing(reason: "tag push"))
        // A branch whose name mentions tags is a branch.
        XCTAssertEqual(try push(pushJSON(ref: "refs/heads/refs/tags/x")), gitHubRange(["\(Self.old)..\(Self.new)"]))
        // The event's ref wins over GITHUB_REF.
        XCTAssertEqual(try push(pushJSON(ref: "refs/heads/main"), environment: ["GITHUB_REF": "refs/tags/v3"]),
                       gitHubRange(["\(Self.old)..\(Self.new)"]))
    }

    func testLongAndUpperCaseCommitIDsAreAccepted() throws {
        let before = String(repeating: "c", count: 64)
        let after = String(repeating: "d", count: 64)
        XCTAssertEqual(try push(pushJSON(before: before, after: after)), gitHubRange(["\(before)..\(after)"]))
        XCTAssertEqual(try push(pushJSON(before: Self.old.uppercased())), gitHubRange(["\(Self.old.uppercased())..\(Self.new)"]))
    }

    func testInvalidCommitIDsAreRefused() {
        let afterField = "push event field \"after\""
        let beforeField = "push event field \"before\""
        for bad in ["abc", String(Self.new.dropLast()), Self.new + "0", "g" + Self.new.dropFirst(), " \(Self.new.dropFirst())",
                    "HEAD", "main", String(repeating: "0", count: 39), String(repeating: "a", count: 50)] {
            assertError(.invalidValue(afterField, bad), try push(pushJSON(after: bad)))
            assertError(.invalidValue(beforeField, bad), try push(pushJSON(before: bad)))
            assertError(.invalidValue(beforeField, bad), try push(pushJSON(before: bad, forced: true)))
        }
        assertError(.invalidValue(afterField, ""), try push(pushJSON(after: "")))
        assertError(.invalidValue(afterField, "é" + Self.new.dropFirst()), try push(pushJSON(after: "é" + Self.new.dropFirst())))
    }

    func testMalformedEventFilesAreRefused() {
        let cases: [(String, String)] = [
            ("", "the file is empty"),
            ("{", "not valid JSON"),
            ("not json at all", "not valid JSON"),
            (#"{"after": "\#(Self.new)"} trailing"#, "not valid JSON"),
            ("\u{FF}\u{FE}", "not valid JSON"),
            ("[1, 2]", "not a JSON object"),
            (#"["after"]"#, "not a JSON object"),
            (#""push""#, "not a JSON object"),
            ("42", "not a JSON object"),
            ("null", "not a JSON object"),
            ("true", "not a JSON object"),
        ]
        for (json, reason) in cases {
            assertError(.unreadableEvent(Self.eventPath, reason), try push(json))
        }
        // Invalid UTF-8 in the middle of a string.
        let bytes: [UInt8] = Array(#"{"after": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let raw = CIRangeDetector(environment: gitHub()) { _ in bytes }
        assertError(.unreadableEvent(Self.eventPath, "not valid JSON"), try raw.detect(explicitRange: nil))
    }

    func testFieldsOfTheWrongTypeAreRefused() {
        let cases: [(String, String)] = [
            (#"{"ref": "refs/heads/main", "after": 1234}"#, #""after" is not a string"#),
            (#"{"ref": "refs/heads/main", "after": {"id": "\#(Self.new)"}}"#, #""after" is not a string"#),
            (#"{"ref": "refs/heads/main", "after": "\#(Self.new)", "before": ["\#(Self.old)"]}"#, #""before" is not a string"#),
            (#"{"ref": true, "after": "\#(Self.new)"}"#, #""ref" is not a string"#),
            (#"{"ref": "refs/heads/main", "after": "\#(Self.new)", "deleted": "false"}"#, #""deleted" is not true or false"#),
            (#"{"ref": "refs/heads/main", "after": "\#(Self.new)", "created": 1}"#, #""created" is not true or false"#),
            (#"{"ref": "refs/heads/main", "after": "\#(Self.new)", "forced": 0}"#, #""forced" is not true or false"#),
            (#"{"ref": "refs/heads/main", "after": "\#(Self.new)", "forced": "yes"}"#, #""forced" is not true or false"#),
        ]
        for (json, reason) in cases {
            assertError(.unreadableEvent(Self.eventPath, reason), try push(json))
        }
    }

    func testNullFlagsCountAsFalse() throws {
        let json = #"{"ref": "refs/heads/main", "before": "\#(Self.old)", "after": "\#(Self.new)", "created": null, "deleted": null, "forced": null}"#
        XCTAssertEqual(try push(json), gitHubRange(["\(Self.old)..\(Self.new)"]))
    }

    func testMissingAfterIsRefused() {
        assertError(.unreadableEvent(Self.eventPath, #"no "after" commit"#), try push("{}"))
        assertError(.unreadableEvent(Self.eventPath, #"no "after" commit"#),
                    try push(#"{"ref": "refs/heads/main", "before": "\#(Self.old)", "after": null}"#))
    }

    func testDeeplyNestedJSONDoesNotCrash() {
        let depth = 100_000
        let json = #"{"after": "\#(Self.new)", "x": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        do {
            _ = try push(json)
        } catch let error as CIRangeError {
            guard case .unreadableEvent(Self.eventPath, _) = error else { return XCTFail("unexpected \(error)") }
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testUnreadableEventFile() {
        let environment = gitHub(["GITHUB_EVENT_PATH": "/missing/event.json"])
        assertError(.unreadableEvent("/missing/event.json", "no such file: /missing/event.json"),
                    try detector(environment, files: [Self.eventPath: pushJSON()]).detect(explicitRange: nil))
    }

    func testMissingGitHubVariables() {
        var noPath = gitHub()
        noPath["GITHUB_EVENT_PATH"] = nil
        assertError(.missingVariable("GITHUB_EVENT_PATH"), try detector(noPath).detect(explicitRange: nil))
        assertError(.missingVariable("GITHUB_EVENT_PATH"), try detector(gitHub(["GITHUB_EVENT_PATH": ""])).detect(explicitRange: nil))
        assertError(.missingVariable("GITHUB_EVENT_NAME"), try detector(["GITHUB_ACTIONS": "true"]).detect(explicitRange: nil))
        assertError(.missingVariable("GITHUB_EVENT_NAME"), try detector(gitHub(event: "")).detect(explicitRange: nil))
    }

    // MARK: - GitHub Actions, other events

    func testDispatchAndScheduleUseGitHubSHA() throws {
        for event in ["workflow_dispatch", "schedule"] {
            // No event file: it must not be needed.
            let range = try detector(gitHub(event: event)).detect(explicitRange: nil)
            guard case .revisions(let revisions, let provider, let note) = range else { return XCTFail("\(range)") }
            XCTAssertEqual(revisions.texts, [Self.new])
            XCTAssertEqual(provider, .githubActions)
            XCTAssertEqual(note?.hasPrefix("\(event) run: every commit up to GITHUB_SHA"), true, note ?? "no note")
        }
    }

    func testDispatchWithoutOrWithABadGitHubSHA() {
        var environment = gitHub(event: "workflow_dispatch")
        environment["GITHUB_SHA"] = nil
        assertError(.missingVariable("GITHUB_SHA"), try detector(environment).detect(explicitRange: nil))
        assertError(.invalidValue("GITHUB_SHA", "main"),
                    try detector(gitHub(event: "schedule", ["GITHUB_SHA": "main"])).detect(explicitRange: nil))
        assertError(.invalidValue("GITHUB_SHA", Self.zeros),
                    try detector(gitHub(event: "workflow_dispatch", ["GITHUB_SHA": Self.zeros])).detect(explicitRange: nil))
    }

    func testPullRequestEventsPostNothing() throws {
        for event in ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"] {
            XCTAssertEqual(try detector(gitHub(event: event)).detect(explicitRange: nil),
                           .nothing(reason: "pull request events are not posted: post after the merge, on push"))
        }
    }

    func testOtherGitHubEventsPostNothing() throws {
        for event in ["release", "merge_group", "repository_dispatch", "workflow_run", "create"] {
            let range = try detector(gitHub(event: event)).detect(explicitRange: nil)
            guard case .nothing(let reason) = range else { return XCTFail("\(event): \(range)") }
            XCTAssertTrue(reason.contains("\"\(event)\" is not posted"), reason)
        }
    }

    // MARK: - GitLab CI

    func testGitLabOrdinaryPipeline() throws {
        let range = try detector(gitLab(["CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": Self.old])).detect(explicitRange: nil)
        XCTAssertEqual(range, revisions(["\(Self.old)..\(Self.new)"], provider: .gitlabCI, note: nil))
    }

    func testGitLabTagPipelinePostsNothing() throws {
        let environment = gitLab(["CI_COMMIT_TAG": "v1.0", "CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": Self.zeros])
        XCTAssertEqual(try detector(environment).detect(explicitRange: nil), .nothing(reason: "tag pipeline"))
        // The tag is enough: the commit variables are not looked at.
        XCTAssertEqual(try detector(gitLab(["CI_COMMIT_TAG": "v1.0"])).detect(explicitRange: nil), .nothing(reason: "tag pipeline"))
        // An empty tag variable is no tag.
        XCTAssertEqual(try detector(gitLab(["CI_COMMIT_TAG": "", "CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": Self.old]))
            .detect(explicitRange: nil),
            revisions(["\(Self.old)..\(Self.new)"], provider: .gitlabCI, note: nil))
    }

    func testGitLabMergeRequestPipelinesPostNothing() throws {
        for source in ["merge_request_event", "external_pull_request_event"] {
            let environment = gitLab(["CI_PIPELINE_SOURCE": source, "CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": Self.zeros])
            XCTAssertEqual(try detector(environment).detect(explicitRange: nil),
                           .nothing(reason: "merge request pipelines are not posted: post after the merge, on the branch pipeline"))
        }
    }

    func testGitLabNewBranch() throws {
        let expected = revisions([Self.new], provider: .gitlabCI, note: CIRangeDetector.newBranchNote)
        XCTAssertEqual(try detector(gitLab(["CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": Self.zeros])).detect(explicitRange: nil), expected)
        XCTAssertEqual(try detector(gitLab(["CI_COMMIT_SHA": Self.new])).detect(explicitRange: nil), expected)
        XCTAssertEqual(try detector(gitLab(["CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": ""])).detect(explicitRange: nil), expected)
        var noSource = gitLab(["CI_COMMIT_SHA": Self.new])
        noSource["CI_PIPELINE_SOURCE"] = nil
        XCTAssertEqual(try detector(noSource).detect(explicitRange: nil), expected)
    }

    func testGitLabPipelineNotStartedByAPush() throws {
        for source in ["schedule", "web", "api", "trigger"] {
            let environment = gitLab(["CI_PIPELINE_SOURCE": source, "CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": Self.zeros])
            let range = try detector(environment).detect(explicitRange: nil)
            guard case .revisions(let revisions, .gitlabCI, let note) = range else { return XCTFail("\(range)") }
            XCTAssertEqual(revisions.texts, [Self.new])
            XCTAssertEqual(note?.hasPrefix("\(source) pipeline: every commit not already delivered"), true, note ?? "no note")
        }
    }

    func testGitLabMissingOrInvalidCommits() {
        assertError(.missingVariable("CI_COMMIT_SHA"), try detector(gitLab(["CI_COMMIT_BEFORE_SHA": Self.old])).detect(explicitRange: nil))
        assertError(.invalidValue("CI_COMMIT_SHA", "deadbeef"),
                    try detector(gitLab(["CI_COMMIT_SHA": "deadbeef", "CI_COMMIT_BEFORE_SHA": Self.old])).detect(explicitRange: nil))
        // The all-zero id names no commit.
        assertError(.invalidValue("CI_COMMIT_SHA", Self.zeros),
                    try detector(gitLab(["CI_COMMIT_SHA": Self.zeros, "CI_COMMIT_BEFORE_SHA": Self.old])).detect(explicitRange: nil))
        assertError(.invalidValue("CI_COMMIT_BEFORE_SHA", "HEAD~1"),
                    try detector(gitLab(["CI_COMMIT_SHA": Self.new, "CI_COMMIT_BEFORE_SHA": "HEAD~1"])).detect(explicitRange: nil))
    }

    // MARK: - Advice and messages

    func testDeepenAdvice() {
        let gitHub = CIRangeDetector.deepenAdvice(provider: .githubActions)
        XCTAssertTrue(gitHub.contains("actions/checkout") && gitHub.contains("fetch-depth: 0"), gitHub)
        let gitLab = CIRangeDetector.deepenAdvice(provider: .gitlabCI)
        XCTAssertTrue(gitLab.contains("GIT_DEPTH") && gitLab.contains("variables"), gitLab)
        XCTAssertTrue(CIRangeDetector.deepenAdvice(provider: .explicit).contains("git fetch --unshallow"))
        for provider in CIProvider.allCases {
            XCTAssertFalse(CIRangeDetector.deepenAdvice(provider: provider).contains("\n"))
        }
    }

    func testProviderNames() {
        XCTAssertEqual(CIProvider.githubActions.rawValue, "GitHub Actions")
        XCTAssertEqual(CIProvider.gitlabCI.rawValue, "GitLab CI")
        XCTAssertEqual(CIProvider.explicit.rawValue, "--range")
    }

    func testErrorDescriptionsAreSingleShortLines() {
        let errors: [CIRangeError] = [
            .unknownCI, .emptyRange, .missingVariable("GITHUB_EVENT_PATH"),
            .invalidValue("CI_COMMIT_SHA", "abc\ndef\r\u{1B}[31m\u{2028}"),
            .invalidValue("GITHUB_SHA", String(repeating: "x", count: 5000)),
            .unreadableEvent("/tmp/event\n.json", "not valid JSON"),
        ]
        for error in errors {
            let text = error.errorDescription ?? ""
            XCTAssertFalse(text.isEmpty)
            XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" }, text)
            XCTAssertLessThan(text.count, 300, String(text.prefix(200)))
        }
        XCTAssertEqual(CIRangeError.invalidValue("CI_COMMIT_SHA", "abc\n").errorDescription,
                       #"CI_COMMIT_SHA is not a commit id (40 or 64 hexadecimal digits): "abc\n""#)
        XCTAssertEqual(CIRangeError.missingVariable("GITHUB_SHA").errorDescription,
                       "GITHUB_SHA is not set, though the CI that normally sets it was detected")
        XCTAssertEqual(CIRangeError.unreadableEvent("/e.json", "not a JSON object").errorDescription,
                       "cannot use the GitHub event file /e.json: not a JSON object")
    }
}
