import CommitBridgeCore
import Foundation
import GitKit

/// Walks a revision range oldest first and decides, commit by commit, what would be posted.
public struct ReplayService: Sendable {
    public let repository: Repository
    public let planner: CommitPlanner

    public init(repository: Repository, configuration: Configuration, options: PlanningOptions) throws {
        self.repository = repository
        let remote: String?
        do {
            remote = configuration.commitURLTemplate == nil ? try repository.remoteURL(named: "origin") : nil
        } catch let error as GitError {
            throw CommitBridgeError.configuration("cannot read the origin remote: \(error.localizedDescription)")
        }
        let builder = CommitURLBuilder(template: configuration.commitURLTemplate?.value, remoteURL: remote)
        self.planner = CommitPlanner(options: options, urlBuilder: builder)
    }

    /// Streams the decisions for `revisions` (as `git rev-list` takes them) to `emit`, oldest first.
    /// Memory stays flat: each commit is released once its decision is emitted.
    public func plan(_ revisions: [String], emit: (CommitDecision) throws -> Void) throws -> ReplaySummary {
        var summary = ReplaySummary()
        do {
            let planner = self.planner
            // Reading commits is mostly zlib inflation: one reader per core, up to four.
            let readers = min(4, ProcessInfo.processInfo.activeProcessorCount)
            try repository.scan(revisions, readers: readers,
                                mustRead: { planner.needsMessage(parentCount: $0, message: $1) },
                                unread: { planner.planWithoutTags(sha: $0, parentCount: $1) },
                                transform: { planner.plan(CommitSnapshot($0)) }) { decision in
                summary.count(decision)
                try emit(decision)
            }
        } catch let error as GitError {
            switch error.kind {
            case .notARepository:
                throw CommitBridgeError.notARepository(error.localizedDescription)
            case .revisionNotFound where repository.isHeadUnborn && revisions.contains(where: { $0.contains("HEAD") || $0.contains("..") }):
                throw CommitBridgeError.badRevision("\(error.localizedDescription): the current branch has no commits yet")
            case .revisionNotFound, .ambiguous, .invalidRange:
                throw CommitBridgeError.badRevision(error.localizedDescription)
            default:
                let typed = revisions.map { TerminalSafeText.cut($0, limit: 100) }.joined(separator: " ")
                throw CommitBridgeError.badRevision("cannot walk \(TerminalSafeText.cut(typed, limit: 200)): \(error.localizedDescription)")
            }
        }
        return summary
    }
}
