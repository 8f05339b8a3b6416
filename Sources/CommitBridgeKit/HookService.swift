import CommitBridgeCore
import CommitBridgeStore
import Foundation
import GitKit

/// What the git hooks do: queue the new tagged commits quickly, then leave delivery to a
/// background `flush` (SPEC §4: a hook never blocks git).
public struct HookService: Sendable {
    public let repository: Repository
    public let configuration: Configuration
    public let replay: ReplayService

    public init(repository: Repository, configuration: Configuration, options: PlanningOptions) throws {
        self.repository = repository
        self.configuration = configuration
        replay = try ReplayService(repository: repository, configuration: configuration, options: options)
    }

    /// post-commit: queues HEAD's commit when it is tagged. Returns how many commits were queued
    /// (0 when HEAD is untagged, a merge, or already queued or delivered); the database is only
    /// opened when there is something to queue.
    /// - Parameter revision: the commit to queue; the installed hook passes the new commit's id,
    ///   because it runs this in the background and HEAD may have moved on by then.
    public func queueHead(_ revision: String = "HEAD") throws -> Int {
        // git runs post-commit for every commit a rebase rewrites; those commits were posted under
        // their old ids already, so a rebase in progress posts nothing.
        if isRebasing { return 0 }
        let head: Commit
        do {
            head = try repository.commit(revision)
        } catch let error as GitError {
            throw CommitBridgeError.badRevision(error.localizedDescription)
        }
        guard case .post(let commit) = replay.planner.plan(CommitSnapshot(head)) else { return 0 }
        return try queue([commit])
    }

    /// post-receive: queues the tagged commits a push brought in (see `PushRangePlanner`).
    public func queuePush(_ updates: [PushUpdate], filter: BranchFilter) throws -> Int {
        let relevant = updates.filter { $0.isBranch && !$0.isDeletion && filter.matches($0.branchName) }
        guard !relevant.isEmpty else { return 0 }
        // Only a new branch needs the other refs (its range excludes all they reach); an update of an
        // existing branch is old..new, so a push costs what it brings, not what the repository holds.
        let references = relevant.contains(where: \.isCreation)
            ? try repository.references().map { (name: $0.name, commit: $0.commit) } : []
        let sets = PushRangePlanner(filter: filter).revisionSets(for: relevant, references: references)
        var seen = Set<String>()
        var commits: [PlannedCommit] = []
        for revisions in sets {
            for commit in try planned(revisions) where seen.insert(commit.sha).inserted {
                commits.append(commit)
            }
        }
        return try queue(commits)
    }

    /// Whether a rebase is under way (git keeps its state in rebase-merge/ or rebase-apply/).
    public var isRebasing: Bool {
        ["rebase-merge", "rebase-apply"].contains { FileManager.default.fileExists(atPath: repository.gitDirectory + "/" + $0) }
    }

    /// Commits waiting in the queue, from earlier hooks whose delivery failed. Cheap when the state
    /// directory has no database yet (nothing was ever queued): no database is opened then.
    public func pendingCount() throws -> Int {
        // Commits queued under another tracker URL that never delivered anything (a wrong URL since
        // corrected) count too: the delivery takes them over.
        let stranded = try StateDirectory.strandedCount(configuration)
        guard StateDirectory.hasDatabase(configuration) else { return stranded }
        return try StateDirectory.open(configuration, verifyIntegrity: false).store.queueCount() + stranded
    }

    private func planned(_ revisions: [String]) throws -> [PlannedCommit] {
        var commits: [PlannedCommit] = []
        _ = try replay.plan(revisions) { decision in
            if case .post(let commit) = decision { commits.append(commit) }
        }
        return commits
    }

    private func queue(_ commits: [PlannedCommit]) throws -> Int {
        guard !commits.isEmpty else { return 0 }
        let (store, _) = try StateDirectory.open(configuration, verifyIntegrity: false)
        let time = Date().timeIntervalSince1970
        return try store.enqueue(commits.map { QueuedCommit(planned: $0, at: time) })
    }
}
