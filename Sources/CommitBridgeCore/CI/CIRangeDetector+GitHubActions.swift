#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: the small commit-msg binary starts faster without ICU
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
                [sha], provider: .githubActions,
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
            return .revisions([after], provider: .githubActions, note: CIRangeDetector.newBranchNote)
        }
        guard let beforeText = push.before else {
            return .revisions([after], provider: .githubActions, note: CIRangeDetector.newBranchNote)
        }
        let before = try commitID(beforeText, from: "push event field \"before\"", allowNull: true)
        if CommitIDSyntax.isNull(before) {
            return .revisions([after], provider: .githubActions, note: CIRangeDetector.newBranchNote)
        }
        if push.forced == true {
            return .revisions([after, "^\(before)"], provider: .githubActions, note: CIRangeDetector.forcePushNote)
        }
        return .revisions(["\(before)..\(after)"], provider: .githubActions, note: nil)
    }
}
