import CommitBridgeCore
import CommitBridgeStore
import Foundation
import GitKit

/// What the git hooks do: queue the new tagged commits quickly, then leave delivery to a
/// background `flush` (a hook never blocks git).
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
    /// (0 when HEAD is untagged, a merge, or already queued or delivered) or kept in the spill file;
    /// the database is only opened when there is something to queue.
    /// - Parameter revision: the commit to queue; the installed hook passes the new commit's id,
    ///   because it runs this in the background and HEAD may have moved on by then.
    public func queueHead(_ revision: String = "HEAD") throws -> HookQueueOutcome {
        // git runs post-commit for every commit a rebase rewrites; those commits were posted under
        // their old ids already, so a rebase in progress posts nothing.
        if isRebasing { return HookQueueOutcome() }
        let head: Commit
        do {
            head = try repository.commit(revision)
        } catch let error as GitError {
            throw CommitBridgeError.badRevision(error.localizedDescription)
        }
        guard case .post(let commit) = replay.planner.plan(CommitSnapshot(head)) else { return HookQueueOutcome() }
        return try queue([commit])
    }

    /// post-receive: queues the tagged commits a push brought in (see `PushRangePlanner`).
    public func queuePush(_ updates: [PushUpdate], filter: BranchFilter) throws -> HookQueueOutcome {
        let relevant = updates.filter { $0.isBranch && !$0.isDeletion && filter.matches($0.branchName) }
        guard !relevant.isEmpty else { return HookQueueOutcome() }
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

    /// Commits waiting in the queue, from earlier hooks whose delivery failed, and those kept in the
    /// spill file. Cheap when the state directory has no database yet (nothing was ever queued): no
    /// database is opened then.
    public func pendingCount() throws -> Int {
        // Commits kept in the spill file count, and so do those queued under another tracker URL
        // that never delivered anything (a wrong URL since corrected): the delivery takes them over.
        let kept = StateDirectory.spillFile(for: configuration).isPending ? 1 : 0
        let stranded = try StateDirectory.strandedCount(configuration)
        guard StateDirectory.hasDatabase(configuration) else { return kept + stranded }
        return try StateDirectory.open(configuration, verifyIntegrity: false, quick: true).store.queueCount() + kept + stranded
    }

    private func planned(_ revisions: [String]) throws -> [PlannedCommit] {
        var commits: [PlannedCommit] = []
        _ = try replay.plan(revisions) { decision in
            if case .post(let commit) = decision { commits.append(commit) }
        }
        return commits
    }

    /// Queues `commits`, after those earlier hooks kept in the spill file and in the same
    /// transaction, waiting at most `SQLiteDeliveryStore.hookBusyTimeout` for the database; what it
    /// does not take is appended to the spill file. Throws `HookQueueFailure` when that fails too.
    private func queue(_ commits: [PlannedCommit]) throws -> HookQueueOutcome {
        guard !commits.isEmpty else { return HookQueueOutcome() }
        let time = Date().timeIntervalSince1970
        let queued = commits.map { QueuedCommit(planned: $0, at: time) }
        let spill = StateDirectory.spillFile(for: configuration)
        let problem: String
        do {
            let (store, _) = try StateDirectory.open(configuration, verifyIntegrity: false, quick: true)
            return HookQueueOutcome(queued: try spill.takeIn(into: store, lockWait: SQLiteDeliveryStore.hookBusyTimeout, along: queued).added)
        } catch CommitBridgeError.configuration(let text) {
            problem = text
        } catch {
            problem = StoreError.line(for: error) ?? "\(error)"
        }
        do {
            try spill.append(queued, lockWait: SQLiteDeliveryStore.hookBusyTimeout)
        } catch {
            throw HookQueueFailure(shas: queued.map(\.sha), problem: "\(problem); nor could they be kept in \(spill.path): \(StoreError.line(for: error) ?? "\(error)")")
        }
        return HookQueueOutcome(spilled: queued.map(\.sha), spillFile: spill.path, problem: problem)
    }
}
