import CommitBridgeCore
import Foundation
import GitKit

/// `replay`: walks a revision range oldest first, decides commit by commit what would be posted,
/// and shows it (a dry run) or queues and delivers it.
public struct ReplayService: Sendable {
    let workspace: Workspace
    let planner: CommitPlanner
    let events: EventSink

    /// Opens the repository of `inputs` and resolves its configuration.
    public init(_ inputs: ConfigurationInputs, options: PlanningOptions = PlanningOptions(), events: @escaping EventSink) throws {
        try self.init(workspace: Workspace.open(inputs, events: events), options: options, events: events)
    }

    init(workspace: Workspace, options: PlanningOptions, events: @escaping EventSink) throws {
        self.workspace = workspace
        self.events = events
        let remote: String?
        do {
            remote = workspace.configuration.commitURLTemplate == nil ? try workspace.repository.remoteURL(named: "origin") : nil
        } catch let error as GitError {
            throw CommitBridgeError.configuration("cannot read the origin remote: \(error.localizedDescription)")
        }
        let builder = CommitURLBuilder(template: workspace.configuration.commitURLTemplate?.value, remoteURL: remote)
        planner = CommitPlanner(options: options, urlBuilder: builder)
    }

    var configuration: Configuration { workspace.configuration }

    /// Shows what would be posted, each decision as a `.decision` event. With `predict` and a token,
    /// Tracker is asked about the stories (through the cache) and each decision carries the
    /// predicted change of each story; without a token there is nothing to ask with.
    public func dryRun(_ range: RevisionRange, predict: Bool) async throws -> ReplaySummary {
        let events = self.events
        guard predict && configuration.token != nil else {
            return try plan(range) { events(.decision($0, effects: nil)) }
        }
        var decisions: [CommitDecision] = []
        let summary = try plan(range) { decisions.append($0) }
        let planned = decisions.compactMap { decision -> PlannedCommit? in
            if case .post(let commit) = decision { return commit }
            return nil
        }
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { events(.warning($0)) }
        let timeToLive = configuration.delivery.cacheTimeToLive
        let lookups = try await TrackerSession.with(configuration) { api in
            try await StoryDirectory(store: store, api: api, timeToLive: timeToLive, now: { Date().timeIntervalSince1970 })
                .lookUp(planned.flatMap { $0.references.map(\.story) })
        }
        var forecast = EffectForecast(lookups: lookups.found)
        for decision in decisions {
            guard case .post(let commit) = decision else {
                events(.decision(decision, effects: nil))
                continue
            }
            events(.decision(decision, effects: forecast.describe(commit)))
        }
        for (story, problem) in lookups.failures.sorted(by: { $0.key < $1.key }) {
            events(.warning("story \(story) could not be looked up: \(problem)"))
        }
        return summary
    }

    /// Queues the tagged commits of `range` and delivers the queue. The summary of the walk goes
    /// out as a note before delivery begins.
    public func deliver(_ range: RevisionRange) async throws -> DeliveryReport {
        guard configuration.token != nil else { throw CommitBridgeError.missingToken }
        let configuration = self.configuration
        let events = self.events
        // The state database opens (and, the first time, is created) on a thread of its own while
        // the history is walked; the first batch to queue waits for it.
        let opening = BackgroundWork { try StateDirectory.openForDelivery(configuration, events: events) }
        let now = { Date().timeIntervalSince1970 }
        var batch: [QueuedCommit] = []
        let summary: ReplaySummary
        do {
            summary = try plan(range) { decision in
                guard case .post(let planned) = decision else { return }
                batch.append(QueuedCommit(planned: planned, at: now()))
                if batch.count >= 1000 {
                    try opening.value().enqueue(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            // A state directory that cannot be opened is reported first, as when it opened first.
            _ = try opening.value()
            throw error
        }
        let store = try opening.value()
        try store.enqueue(batch)
        events(.note(summary.line))
        var report = try await DeliveryService.pass(store, configuration, events: events)
        report.walked = summary
        return report
    }

    /// Streams the decisions for the commits of `range` to `emit`, oldest first.
    /// Memory stays flat: each commit is released once its decision is emitted.
    func plan(_ range: RevisionRange, emit: (CommitDecision) throws -> Void) throws -> ReplaySummary {
        var summary = ReplaySummary()
        let repository = workspace.repository
        // A long walk reports how far it is, checking the clock once every 256 commits.
        let pacer = ProgressPacer(.scan, events: events)
        pacer.report(done: 0, total: nil)
        do {
            let planner = self.planner
            // Reading commits is mostly zlib inflation: one reader per core, up to four.
            let readers = min(4, ProcessInfo.processInfo.activeProcessorCount)
            try repository.scan(range, readers: readers,
                                mustRead: { planner.needsMessage(parentCount: $0, message: $1) },
                                unread: { planner.planWithoutTags(sha: $0, parentCount: $1) },
                                transform: { planner.plan(CommitSnapshot($0)) }) { decision in
                summary.count(decision)
                try emit(decision)
                if summary.scanned & 255 == 0 { pacer.report(done: summary.scanned, total: nil) }
            }
        } catch let error as GitError {
            switch error.kind {
            case .notARepository:
                throw CommitBridgeError.notARepository(error.localizedDescription)
            case .revisionNotFound where repository.isHeadUnborn && range.texts.contains(where: { $0.contains("HEAD") }):
                throw CommitBridgeError.badRevision("\(error.localizedDescription): the current branch has no commits yet")
            case .revisionNotFound, .ambiguous, .invalidRange:
                throw CommitBridgeError.badRevision(error.localizedDescription)
            default:
                let typed = range.texts.map { TerminalSafeText.cut($0, limit: 100) }.joined(separator: " ")
                throw CommitBridgeError.badRevision("cannot walk \(TerminalSafeText.cut(typed, limit: 200)): \(error.localizedDescription)")
            }
        }
        return summary
    }
}

/// Counts from one pass over a range, for the human summary on stderr.
public struct ReplaySummary: Sendable, Hashable {
    public var scanned = 0
    public var tagged = 0
    public var skippedMerges = 0
    public var skippedUntagged = 0
    public var reverts = 0
    public var shortened = 0
    public var warnings = 0

    public init() {}

    mutating func count(_ decision: CommitDecision) {
        scanned += 1
        switch decision {
        case .post(let planned):
            tagged += 1
            if planned.revertRewritten { reverts += 1 }
            if planned.shortened { shortened += 1 }
            warnings += planned.warnings.count
        case .skip(_, let reason, let skipWarnings):
            warnings += skipWarnings.count
            switch reason {
            case .merge: skippedMerges += 1
            case .untagged: skippedUntagged += 1
            }
        }
    }

    /// e.g. `scanned 12 commits: 5 tagged, 6 untagged, 1 merge skipped`.
    public var line: String {
        var parts = ["\(tagged) tagged", "\(skippedUntagged) untagged"]
        if skippedMerges > 0 { parts.append("\(skippedMerges) merge\(skippedMerges == 1 ? "" : "s") skipped (use --merges to post them)") }
        if reverts > 0 { parts.append("\(reverts) revert\(reverts == 1 ? "" : "s") with verbs dropped") }
        if shortened > 0 { parts.append("\(shortened) long message\(shortened == 1 ? "" : "s") shortened") }
        if warnings > 0 { parts.append("\(warnings) tag warning\(warnings == 1 ? "" : "s")") }
        return "scanned \(scanned) commit\(scanned == 1 ? "" : "s"): " + parts.joined(separator: ", ")
    }
}

extension CommitSnapshot {
    /// The core's view of a commit read through git.
    init(_ commit: Commit) {
        self.init(sha: commit.sha, message: commit.message, authorName: commit.authorName,
                  authorEmail: commit.authorEmail, parentCount: commit.parentCount, authorTime: commit.authorTime)
    }
}
