import CommitBridgeCore
import Foundation
import TrackerClient

/// Delivers queued commits exactly once (see docs/delivery.md).
///
/// - The comments of every story of the queue are read from Tracker right before posting, once a
///   story per pass (never from the cache: another clone may have posted a commit a moment ago); a
///   commit a story's comments already carry is recorded and not posted again. A story Tracker said
///   does not exist is not asked again within the cache's time-to-live; a commit none of whose
///   stories exist stays queued, reported, until one does.
/// - A POST attempt is counted in the store *before* the request goes out. The attempts of one run
///   are marked together, in one transaction before its first POST.
/// - Commits sharing a story are posted in queue order; a commit whose predecessor failed waits.
/// - Success moves the commit from the queue to the ledger in one transaction; the ledger rows of a
///   pass are written in groups (`DeliveryWriteBatcher.performLater`) and all of them before the
///   pass reports. A row lost to a crash costs the next run nothing but the comment read it makes
///   anyway, never a second POST.
public struct DeliveryService: Sendable {
    let store: DeliveryStore
    let api: TrackerAPI
    let directory: StoryDirectory
    let now: @Sendable () -> Double

    public init(store: DeliveryStore, api: TrackerAPI, cacheTimeToLive: Double,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.api = api
        self.now = now
        directory = StoryDirectory(store: store, api: api, timeToLive: cacheTimeToLive, now: now)
    }

    /// Queues planned commits (those already delivered or queued are skipped).
    @discardableResult
    public func enqueue(_ planned: [PlannedCommit]) throws -> Int {
        try store.enqueue(planned.map { QueuedCommit(planned: $0, at: now()) })
    }

    /// Delivers everything in the queue; what cannot be delivered stays queued with its error.
    /// A commit whose stories all do not exist on Tracker stays queued too, without counting as a
    /// failure: it is posted once one of its stories exists (asked again when Tracker's answer is
    /// older than the cache's time-to-live, or at once with `retryMissing`).
    /// Throws `CommitBridgeError.configuration` when Tracker's answers show the tracker URL is
    /// wrong; nothing is recorded then.
    public func deliverQueued(retryMissing: Bool = false,
                              onEvent: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) async throws -> DeliveryReport {
        let queue = try store.queued()
        var report = DeliveryReport()
        guard !queue.isEmpty else { return report }

        let lookups: StoryDirectory.Lookups
        do {
            lookups = try await directory.lookUpForDelivery(queue.flatMap(\.stories), retryMissing: retryMissing)
        } catch let error as TrackerRequestError where error.isAuthenticationFailure {
            report.authenticationProblem = error.description
            for commit in queue {
                try store.recordFailure(sha: commit.sha, error: error.description)
                report.undelivered[commit.sha] = error.description
            }
            return report
        } catch let error as TrackerRequestError where error.isConfigurationProblem {
            throw CommitBridgeError.configuration(error.description)
        }
        report.storyLookups = lookups.networkLookups

        let tracker = DeliveryTracker()
        let writes = DeliveryWriteBatcher(store: store)
        var lastTaskForStory: [Int64: Task<Bool, Never>] = [:]
        var tasks: [Task<Bool, Never>] = []

        // Decide from the fresh answers. The ledger rows of the commits already on Tracker and the
        // attempt marks of the commits to post go to the disk in one transaction, before any POST.
        enum Plan {
            case lookupFailed(String)
            case waitingForStories
            case alreadyOnTracker
            case post(probe: StoryRecord)
        }
        var plans: [Plan] = []
        var writesFirst: [DeliveryWrite] = []
        for commit in queue {
            if let failed = commit.stories.first(where: { lookups.failures[$0] != nil }) {
                plans.append(.lookupFailed("story \(failed) could not be looked up: \(lookups.failures[failed]!.description)"))
                continue
            }
            let existing = commit.stories.compactMap { story -> (StoryRecord, Set<String>)? in
                if case .found(let record, let identifiers)? = lookups.found[story] { return (record, identifiers) }
                return nil
            }
            if existing.isEmpty {
                plans.append(.waitingForStories)
            } else if existing.contains(where: { $0.1.contains(commit.sha) }) {
                plans.append(.alreadyOnTracker)
                writesFirst.append(.delivered(sha: commit.sha, stories: commit.stories, outcome: .alreadyOnTracker, response: nil, at: now()))
            } else {
                plans.append(.post(probe: existing[0].0))
                writesFirst.append(.attempt(sha: commit.sha, at: now()))
            }
        }
        try store.perform(writesFirst)

        for (commit, plan) in zip(queue, plans) {
            switch plan {
            case .lookupFailed(let problem):
                try store.recordFailure(sha: commit.sha, error: problem)
                await tracker.fail(commit.sha, problem)
                onEvent(.failed(sha: commit.sha, problem: problem))
                let blocked = Task { false }
                for story in commit.stories { lastTaskForStory[story] = blocked }
            case .waitingForStories:
                let problem = Self.waitingLine(commit.stories)
                try store.recordFailure(sha: commit.sha, error: problem)
                await tracker.missing(commit.sha, stories: commit.stories)
            case .alreadyOnTracker:
                await tracker.alreadyThere(commit.sha)
                onEvent(.delivered(sha: commit.sha, outcome: .alreadyOnTracker))
            case .post(let probe):
                let predecessors = commit.stories.compactMap { lastTaskForStory[$0] }
                let task = Task { () -> Bool in
                    for predecessor in predecessors where await !predecessor.value {
                        let reason = "waits for an earlier commit of the same story"
                        try? store.recordFailure(sha: commit.sha, error: reason)
                        await tracker.fail(commit.sha, reason)
                        onEvent(.held(sha: commit.sha, reason: reason))
                        return false
                    }
                    return await post(commit, probe: probe, tracker: tracker, writes: writes, onEvent: onEvent)
                }
                tasks.append(task)
                for story in commit.stories { lastTaskForStory[story] = task }
            }
        }
        for task in tasks { _ = await task.value }
        for (write, error) in await writes.finish() {
            guard case .delivered(let sha, _, let outcome, _, _) = write else { continue }
            let problem = "delivered, but the ledger could not record it (\(error)); "
                + "the next run finds it among its stories' comments and does not post it again"
            try? store.recordFailure(sha: sha, error: problem)
            await tracker.ledgerWriteFailed(sha, outcome: outcome, problem)
        }
        await tracker.fill(&report)
        if let problem = await tracker.configurationProblem {
            throw CommitBridgeError.configuration(problem)
        }
        return report
    }

    /// The last error a commit keeps while none of its stories exist.
    static func waitingLine(_ stories: [Int64]) -> String {
        let names = stories.map { "#\($0)" }.joined(separator: ", ")
        return "waits for \(stories.count == 1 ? "story" : "stories") \(names): not found on Tracker; "
            + "posted once \(stories.count == 1 ? "it exists" : "one exists") ('commitbridge flush --retry-missing' asks again now)"
    }

    /// Posts one commit; true when it is now in the ledger.
    private func post(_ commit: QueuedCommit, probe: StoryRecord, tracker: DeliveryTracker,
                      writes: DeliveryWriteBatcher, onEvent: @Sendable (DeliveryEvent) -> Void) async -> Bool {
        if let problem = await tracker.stopProblem {
            try? store.recordFailure(sha: commit.sha, error: problem)
            await tracker.fail(commit.sha, problem)
            return false
        }
        do {
            // The attempt was marked (durably) before the posting began; see `deliverQueued`.
            let api = self.api
            let sha = commit.sha
            let result = try await api.postSourceCommit(commit.body) {
                // Before repeating a POST Tracker may have applied, ask Tracker whether it did.
                try await !api.commitIdentifiers(probe.projectID, probe.id).contains(sha)
            }
            // The ledger row goes to the disk with the next group of writes (see
            // `DeliveryWriteBatcher.performLater`); `deliverQueued` reports one that could not.
            switch result {
            case .posted(let response):
                writes.performLater(.delivered(sha: sha, stories: commit.stories, outcome: .posted, response: response, at: now()))
                await tracker.posted(sha)
                onEvent(.delivered(sha: sha, outcome: .posted))
            case .alreadyApplied:
                writes.performLater(.delivered(sha: sha, stories: commit.stories, outcome: .alreadyOnTracker, response: nil, at: now()))
                await tracker.alreadyThere(sha)
                onEvent(.delivered(sha: sha, outcome: .alreadyOnTracker))
            }
            return true
        } catch {
            let problem = (error as? TrackerRequestError)?.description ?? "\(error)"
            if let requestError = error as? TrackerRequestError, requestError.isAuthenticationFailure {
                await tracker.authenticationFailed(problem)
            }
            if let requestError = error as? TrackerRequestError, requestError.isConfigurationProblem {
                // Nothing is recorded from a server that is not Tracker; the pass ends with exit 2.
                await tracker.configurationFailed(problem)
                await tracker.fail(commit.sha, problem)
                return false
            }
            try? store.recordFailure(sha: commit.sha, error: problem)
            await tracker.fail(commit.sha, problem)
            onEvent(.failed(sha: commit.sha, problem: problem))
            return false
        }
    }
}
