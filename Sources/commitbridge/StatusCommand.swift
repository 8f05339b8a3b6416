import ArgumentParser
import CommitBridgeKit
import CommitBridgeStore
import Foundation

/// `commitbridge status`: the queue, the ledger and the story cache.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue, the ledger and the story cache."
    )

    @OptionGroup var config: ConfigurationOptions

    func run() throws {
        let repository = try RepositoryOpener.open(config.repositoryPath)
        let configuration = try ConfigurationLoader().loadShowingWarnings(config.inputs, repository: repository)
        StandardStreams.out("state directory: \(configuration.stateDirectory.value)")
        // Each tracker URL has its own ledger, queue and cache: the configured tracker's first,
        // then any other the state directory holds.
        for (index, database) in try StateDirectory.openAll(configuration).enumerated() {
            database.warnings.forEach { StandardStreams.err("warning: \($0)") }
            if index > 0 { StandardStreams.out("") }
            try show(database.tracker, database.store)
        }
    }

    private func show(_ tracker: String, _ store: SQLiteDeliveryStore) throws {
        StandardStreams.out("tracker: \(tracker)")
        let queued = try store.queueCount()
        StandardStreams.out("queue: \(queued) commit\(queued == 1 ? "" : "s") waiting")
        if let oldest = try store.oldestQueued() {
            let since = Date(timeIntervalSince1970: oldest.enqueuedAt)
            StandardStreams.out("  oldest: \(oldest.sha.prefix(7)), queued \(ISO8601DateFormatter().string(from: since)), \(oldest.attempts) attempt\(oldest.attempts == 1 ? "" : "s")")
        }
        if let lastError = try store.lastError() {
            StandardStreams.out("  last error: \(lastError)")
        }
        let delivered = try store.ledgerCount()
        StandardStreams.out("ledger: \(delivered) commit\(delivered == 1 ? "" : "s") delivered")
        let cache = try store.cacheStatistics()
        let rate = cache.hitRate.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a"
        StandardStreams.out("story cache: \(cache.entries) entr\(cache.entries == 1 ? "y" : "ies"), hit rate \(rate) (\(cache.hits) hits, \(cache.misses) misses)")
    }
}
