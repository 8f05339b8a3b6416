import CommitBridgeCore
import Foundation
import GitKit

/// `explain <commit>…`: for each commit, whether it was, will be or will not be posted, and why,
/// from the ledger, the queue, the story cache, the commit itself and the refs. It asks Tracker
/// nothing and changes nothing.
public enum ExplainService {
    /// What happened, or will happen, to one commit.
    public struct Explanation: Sendable, Hashable {
        public enum Verdict: String, Sendable, Hashable {
            case posted
            case willPost = "will-post"
            case willNotPost = "will-not-post"
        }

        /// Why, as a stable word for scripts.
        public enum Reason: String, Sendable, Hashable {
            /// Posted by commitbridge (`detail` says when).
            case delivered
            /// Found among its stories' comments on Tracker, so not posted again.
            case alreadyOnTracker = "already-on-tracker"
            /// The same change (author, author date and message, or a cherry-pick of it) was
            /// delivered as another commit.
            case rewritten
            /// A merge commit (merges repeat their branch's tags).
            case merge
            /// Its message names no story.
            case noReference = "no-reference"
            /// Queued, but none of its stories exists on Tracker.
            case storiesMissing = "stories-missing"
            /// On no branch that `commitbridge.branches` selects.
            case branchFilter = "branch-filter"
            /// Queued on commit, posted once a push puts it on a remote.
            case notPushed = "not-pushed"
            /// Queued, with the error of its last attempt.
            case queued
            /// Tagged and on a remote, but never queued: a replay or `ci` of its range posts it.
            case notQueued = "not-queued"
        }

        public let sha: String
        public let subject: String
        public let verdict: Verdict
        public let reason: Reason
        /// One line, in words.
        public let detail: String
        /// For `rewritten`: the commit the change was delivered as.
        public let original: String?
    }

    public static func run(_ inputs: ConfigurationInputs, commits revisions: [String], events: @escaping EventSink) throws -> [Explanation] {
        let workspace = try Workspace.open(inputs, events: events)
        let repository = workspace.repository
        let configuration = workspace.configuration
        let replay = try ReplayService(workspace: workspace, options: PlanningOptions(), events: events)
        let commits = try revisions.map { revision -> Commit in
            do {
                return try repository.commit(revision)
            } catch let error as GitError {
                throw CommitBridgeError.badRevision(error.localizedDescription)
            }
        }
        let store = StateDirectory.hasDatabase(configuration)
            ? try StateDirectory.open(configuration, verifyIntegrity: false, quick: true).store : nil
        let queue = Dictionary((try store?.queued() ?? []).map { ($0.sha, $0) }, uniquingKeysWith: { first, _ in first })
        let references = try repository.references()
        let onPush = PostOn.setting(of: repository, events: events) == .push
        let filter = BranchFilter(configuration.branches.value)
        return try commits.map { commit in
            try explain(commit, replay: replay, store: store, queue: queue, references: references, onPush: onPush,
                        filter: filter, repository: repository, configuration: configuration)
        }
    }

    private static func explain(_ commit: Commit, replay: ReplayService, store: (any DeliveryStore)?, queue: [String: QueuedCommit],
                                references: [CommitReference], onPush: Bool, filter: BranchFilter, repository: Repository,
                                configuration: Configuration) throws -> Explanation {
        let snapshot = CommitSnapshot(commit)
        func answer(_ verdict: Explanation.Verdict, _ reason: Explanation.Reason, _ detail: String, original: String? = nil) -> Explanation {
            Explanation(sha: commit.sha, subject: snapshot.subject, verdict: verdict, reason: reason, detail: detail, original: original)
        }
        if let entry = try store?.ledgerEntry(commit.sha) {
            let date = Self.date(entry.deliveredAt)
            switch entry.outcome {
            case .posted:
                return answer(.posted, .delivered, "delivered on \(date) to \(Self.stories(entry.stories))")
            case .alreadyOnTracker:
                return answer(.willNotPost, .alreadyOnTracker, "already on Tracker: \(Self.stories(entry.stories)) had a comment for it (seen \(date))")
            case .alreadyDelivered:
                let original = entry.response ?? "another commit"
                return answer(.willNotPost, .rewritten, "rewritten from \(original.prefix(12)): the same change was delivered as that commit (seen \(date)); '--post-rewritten' posts it anyway", original: original)
            }
        }
        if let queued = queue[commit.sha] {
            if queued.awaitingPush {
                return answer(.willPost, .notPushed, "not pushed yet: queued when it was made, posted once a push puts it on a remote")
            }
            let missing = try store?.knownMissing(queued.stories, maxAge: .infinity, now: Date().timeIntervalSince1970) ?? []
            if !queued.stories.isEmpty, Set(queued.stories).isSubset(of: missing) {
                return answer(.willPost, .storiesMissing, "stories missing: queued until \(Self.stories(queued.stories)) \(queued.stories.count == 1 ? "exists" : "exist") on Tracker")
            }
            if let error = queued.lastError {
                if error.hasPrefix("waits for stor") {
                    return answer(.willPost, .storiesMissing, "stories missing: \(error)")
                }
                return answer(.willPost, .queued, "queued with last error (\(queued.attempts) attempt\(queued.attempts == 1 ? "" : "s")): \(error)")
            }
            return answer(.willPost, .queued, "queued: the next delivery posts it ('commitbridge flush')")
        }
        let planned: PlannedCommit
        switch replay.planner.plan(snapshot) {
        case .skip(_, .merge, _):
            return answer(.willNotPost, .merge, "merge: merges are not posted (their branch's commits carry the tags; 'replay --merges' posts them)")
        case .skip(_, .untagged, _):
            return answer(.willNotPost, .noReference, "no reference: its message names no story")
        case .post(let commit):
            planned = commit
        }
        let change = snapshot.change
        if let store {
            if let earlier = try store.deliveredChanges([change.key])[change.key], earlier != commit.sha {
                return answer(.willNotPost, .rewritten, "rewritten from \(earlier.prefix(12)): the same author, author date and message were delivered as that commit; '--post-rewritten' posts it anyway", original: earlier)
            }
            let picked = change.pickedFrom.filter { $0.count == 40 }
            if let original = try store.deliveredSHAs(among: picked).first {
                return answer(.willNotPost, .rewritten, "rewritten from \(original.prefix(12)): cherry-picked from that commit, which was delivered; '--post-rewritten' posts it anyway", original: original)
            }
            let stories = planned.references.map(\.story)
            let missing = try store.knownMissing(stories, maxAge: .infinity, now: Date().timeIntervalSince1970)
            if !stories.isEmpty, Set(stories).isSubset(of: missing) {
                return answer(.willNotPost, .storiesMissing, "stories missing: Tracker said \(Self.stories(stories)) \(stories.count == 1 ? "does" : "do") not exist")
            }
        }
        // One reachability question each, against every tip that matters at once.
        func held(by tips: [CommitReference]) -> Bool { !repository.reachable([commit.sha], fromAny: tips.map(\.commit)).isEmpty }
        if !filter.patterns.isEmpty && !held(by: references.filter { Self.branchName($0.name).map(filter.matches) ?? false }) {
            return answer(.willNotPost, .branchFilter, "branch filter: on no branch that commitbridge.branches selects (\(filter.patterns.joined(separator: ", ")))")
        }
        if onPush && !held(by: references.filter { $0.name.hasPrefix("refs/remotes/") }) {
            return answer(.willPost, .notPushed, "not pushed yet: the push that puts it on a remote posts it")
        }
        return answer(.willPost, .notQueued, "tagged for \(Self.stories(planned.references.map(\.story))) but never queued here: 'commitbridge replay \(commit.sha.prefix(12))^..\(commit.sha.prefix(12))' (or the next 'ci' of its range) posts it")
    }

    /// The branch a local or remote-tracking ref names (`main` for `refs/heads/main` and for
    /// `refs/remotes/origin/main`); nil for other refs.
    private static func branchName(_ reference: String) -> String? {
        if reference.hasPrefix("refs/heads/") { return String(reference.dropFirst("refs/heads/".count)) }
        guard reference.hasPrefix("refs/remotes/") else { return nil }
        let rest = reference.dropFirst("refs/remotes/".count)
        return rest.firstIndex(of: "/").map { String(rest[rest.index(after: $0)...]) }
    }

    private static func stories(_ ids: [Int64]) -> String {
        (ids.count == 1 ? "story " : "stories ") + ids.map { "#\($0)" }.joined(separator: ", ")
    }

    private static func date(_ time: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: time))
    }
}
