import CommitBridgeCore
import CommitBridgeKit
import Foundation
import TrackerClient

/// Runs a replay of some revisions, as a dry run or for real; shared by `replay` and `ci`.
struct ReplayExecution {
    let service: ReplayService
    let configuration: Configuration
    let options: DeliveryOptions

    /// Shows what would be posted; with a token (and not `offline`, not `json`), predicts each story's change.
    func dryRun(_ revisions: [String], json: Bool, offline: Bool) async throws {
        let printer = DryRunPrinter(json: json)
        guard !json && !offline && configuration.token != nil else {
            let summary = try service.plan(revisions) { printer.show($0) }
            StandardStreams.err(summary.line)
            return
        }
        var decisions: [CommitDecision] = []
        let summary = try service.plan(revisions) { decisions.append($0) }
        let planned = decisions.compactMap { decision -> PlannedCommit? in
            if case .post(let commit) = decision { return commit }
            return nil
        }
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { StandardStreams.err("warning: \($0)") }
        let lookups: StoryDirectory.Lookups
        do {
            lookups = try await TrackerSession.with(configuration, options: options) { api in
                let directory = StoryDirectory(store: store, api: api, timeToLive: options.cacheTimeToLive,
                                               now: { Date().timeIntervalSince1970 })
                return try await directory.lookUp(planned.flatMap { $0.references.map(\.story) })
            }
        } catch let error as TrackerRequestError {
            // A refused token or a URL that does not lead to Tracker: nothing was cached.
            throw CommitBridgeError.configuration(error.description)
        }
        var forecast = EffectForecast(lookups: lookups.found)
        for decision in decisions {
            printer.show(decision, effects: { forecast.describe($0) })
        }
        for (story, problem) in lookups.failures.sorted(by: { $0.key < $1.key }) {
            StandardStreams.err("warning: story \(story) could not be looked up: \(problem)")
        }
        StandardStreams.err(summary.line)
    }

    /// Queues the tagged commits of `revisions` and delivers the queue; exit 1 when some stay queued.
    func deliver(_ revisions: [String]) async throws {
        guard configuration.token != nil else {
            throw CommitBridgeError.missingToken
        }
        let service = self.service
        let configuration = self.configuration
        // The state database opens (and, the first time, is created) on a thread of its own while
        // the history is walked; the first batch to queue waits for it.
        let opening = BackgroundWork { try StateDirectory.open(configuration) }
        let report = try await TrackerSession.with(configuration, options: options) { api in
            var opened: DeliveryService?
            func delivery() throws -> DeliveryService {
                if let opened { return opened }
                let (store, warnings) = try opening.value()
                warnings.forEach { StandardStreams.err("warning: \($0)") }
                DeliveryPrinter.tookOver(try StateDirectory.takeOverStrandedQueues(into: store, configuration))
                let delivery = DeliveryService(store: store, api: api, cacheTimeToLive: options.cacheTimeToLive)
                opened = delivery
                return delivery
            }
            var batch: [PlannedCommit] = []
            let summary: ReplaySummary
            do {
                summary = try service.plan(revisions) { decision in
                    if case .post(let planned) = decision {
                        batch.append(planned)
                        if batch.count >= 1000 {
                            try delivery().enqueue(batch)
                            batch.removeAll(keepingCapacity: true)
                        }
                    }
                }
            } catch {
                // A state directory that cannot be opened is reported first, as when it opened first.
                _ = try delivery()
                throw error
            }
            try delivery().enqueue(batch)
            StandardStreams.err(summary.line)
            let lock = try DeliveryLock(stateDirectory: configuration.stateDirectory.value)
            let report = try await delivery().deliverQueued(retryMissing: options.retryMissing, onEvent: DeliveryPrinter.event)
            withExtendedLifetime(lock) {}
            return report
        }
        try DeliveryPrinter.finish(report)
    }
}
