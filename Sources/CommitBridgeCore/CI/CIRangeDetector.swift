#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: the small commit-msg binary starts faster without ICU

/// Works out which commits a CI run after a push or merge should post, from `--range` or from the
/// variables GitHub Actions and GitLab CI set. It reads nothing but the environment it is given and,
/// for GitHub, the event file through `readFile`.
public struct CIRangeDetector: Sendable {
    /// The note on a range that is a branch's whole history, because the push had no "before" commit.
    public static let newBranchNote =
        "new branch: only the commits no other remote branch holds are considered"
    /// The note on the range of a force-push.
    public static let forcePushNote = "force-push: only the commits no other remote branch holds, and never delivered, are posted"

    /// Whether `range` is a new branch's: its tip, less what the other remote branches hold.
    public static func isNewBranch(_ range: CIRange) -> Bool {
        if case .revisions(_, _, let note) = range { return note == newBranchNote }
        return false
    }

    let environment: [String: String]
    let readFile: @Sendable (String) throws -> [UInt8]

    /// environment: the process environment; readFile: reads a file's bytes (injected so tests need no files).
    public init(environment: [String: String], readFile: @escaping @Sendable (String) throws -> [UInt8]) {
        self.environment = environment
        self.readFile = readFile
    }

    /// explicitRange: `--range`, split on whitespace; it wins over everything. Without it, GitHub Actions
    /// (`GITHUB_ACTIONS=true`) is tried, then GitLab CI (`GITLAB_CI=true`). Every error thrown is a
    /// `CIRangeError`; with neither CI, `unknownCI`.
    public func detect(explicitRange: String?) throws -> CIRange {
        try detectRange(explicitRange: explicitRange)
    }

    private func detectRange(explicitRange: String?) throws(CIRangeError) -> CIRange {
        if let explicitRange {
            let words = explicitRange.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { throw .emptyRange }
            do {
                return .revisions(try RevisionRange(parsing: words), provider: .explicit, note: nil)
            } catch {
                throw .badRange((error as? RevisionRangeError)?.message ?? "\(error)")
            }
        }
        if isTrue("GITHUB_ACTIONS") {
            return try detectGitHubActions()
        }
        if isTrue("GITLAB_CI") {
            return try detectGitLabCI()
        }
        throw .unknownCI
    }

    /// One line telling the user how to fetch enough history for the range to resolve.
    public static func deepenAdvice(provider: CIProvider) -> String {
        switch provider {
        case .githubActions:
            return "fetch the whole history: give actions/checkout `with: fetch-depth: 0` in the workflow"
        case .gitlabCI:
            return "fetch the whole history: set `GIT_DEPTH: \"0\"` under `variables:` in .gitlab-ci.yml"
        case .explicit:
            return "fetch the whole history first: git fetch --unshallow"
        }
    }

    // MARK: - Shared helpers

    /// The variable's value; an empty one counts as unset.
    func value(_ name: String) -> String? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        return text
    }

    func isTrue(_ name: String) -> Bool {
        value(name)?.lowercased() == "true"
    }

    func required(_ name: String) throws(CIRangeError) -> String {
        guard let text = value(name) else { throw .missingVariable(name) }
        return text
    }

    /// The commit id itself, or `invalidValue` naming where it came from. The all-zero id is refused
    /// unless `allowNull`: only a "before" or "after" may mean "no commit".
    func commitID(_ text: String, from name: String, allowNull: Bool = false) throws(CIRangeError) -> String {
        guard CommitIDSyntax.isCommitID(text), allowNull || !CommitIDSyntax.isNull(text) else {
            throw .invalidValue(name, text)
        }
        return text
    }
}

#else
import Foundation
#endif

/// GitHub Actions: the `push` event file decides the range; see docs/ci.md.
extension CIRangeDetector {
    func detectGitHubActions() throws(CIRangeError) -> CIRange {
        let event = try required("GITHUB_EVENT_NAME")
        switch event {
        case "push":
            return try detectGitHubPush()
        case "workflow_dispatch", "schedule":
            let sha = try commitID(try required("GITHUB_SHA"), from: "GITHUB_SHA")
            return .revisions(
                .commits(reachableFrom: [sha]), provider: .githubActions,
                note: "\(event) run: every commit up to GITHUB_SHA not already delivered is considered; "
                    + "the ledger and Tracker's comments prevent duplicates")
        default:
            if event.hasPrefix("pull_request") {
                return .nothing(reason: "pull request events are not posted: post after the merge, on push")
            }
            return .nothing(
                reason: "GitHub event \"\(event)\" is not posted: run commitbridge ci on push, workflow_dispatch or schedule")
        }
    }

    private func detectGitHubPush() throws(CIRangeError) -> CIRange {
        let path = try required("GITHUB_EVENT_PATH")
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw .unreadableEvent(path, (error as? any LocalizedError)?.errorDescription ?? String(describing: error))
        }
        let push: GitHubPushEvent
        do {
            push = try GitHubPushEvent.parse(bytes)
        } catch {
            throw .unreadableEvent(path, error.reason)
        }

        let ref = push.ref ?? value("GITHUB_REF")
        if let ref, ref.hasPrefix("refs/tags/") {
            return .nothing(reason: "tag push")
        }
        if push.deleted == true {
            return .nothing(reason: "branch deleted")
        }
        guard let afterText = push.after else {
            throw .unreadableEvent(path, "no \"after\" commit")
        }
        let after = try commitID(afterText, from: "push event field \"after\"", allowNull: true)
        if CommitIDSyntax.isNull(after) {
            return .nothing(reason: "branch deleted")
        }
        if push.created == true {
            return .revisions(.commits(reachableFrom: [after]), provider: .githubActions, note: CIRangeDetector.newBranchNote)
        }
        guard let beforeText = push.before else {
            return .revisions(.commits(reachableFrom: [after]), provider: .githubActions, note: CIRangeDetector.newBranchNote)
        }
        let before = try commitID(beforeText, from: "push event field \"before\"", allowNull: true)
        if CommitIDSyntax.isNull(before) {
            return .revisions(.commits(reachableFrom: [after]), provider: .githubActions, note: CIRangeDetector.newBranchNote)
        }
        if push.forced == true {
            return .revisions(.commits(reachableFrom: [after], excluding: [before]), provider: .githubActions, note: CIRangeDetector.forcePushNote)
        }
        return .revisions(RevisionRange([.range(exclude: before, include: after)]), provider: .githubActions, note: nil)
    }
}

/// GitLab CI: `CI_COMMIT_BEFORE_SHA` and `CI_COMMIT_SHA` decide the range; see docs/ci.md.
extension CIRangeDetector {
    func detectGitLabCI() throws(CIRangeError) -> CIRange {
        if value("CI_COMMIT_TAG") != nil {
            return .nothing(reason: "tag pipeline")
        }
        let source = value("CI_PIPELINE_SOURCE")
        if source == "merge_request_event" || source == "external_pull_request_event" {
            return .nothing(reason: "merge request pipelines are not posted: post after the merge, on the branch pipeline")
        }
        let sha = try commitID(try required("CI_COMMIT_SHA"), from: "CI_COMMIT_SHA")
        guard let beforeText = value("CI_COMMIT_BEFORE_SHA"), !CommitIDSyntax.isNull(beforeText) else {
            return .revisions(.commits(reachableFrom: [sha]), provider: .gitlabCI, note: wholeHistoryNote(source: source))
        }
        let before = try commitID(beforeText, from: "CI_COMMIT_BEFORE_SHA")
        return .revisions(RevisionRange([.range(exclude: before, include: sha)]), provider: .gitlabCI, note: nil)
    }

    /// GitLab gives no "before" commit for a branch's first pipeline, nor for pipelines not started by
    /// a push (schedules, the web form, the API…).
    private func wholeHistoryNote(source: String?) -> String {
        guard let source, source != "push" else { return CIRangeDetector.newBranchNote }
        return "\(source) pipeline: every commit not already delivered is considered; "
            + "the ledger and Tracker's comments prevent duplicates"
    }
}
