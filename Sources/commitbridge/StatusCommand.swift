import ArgumentParser
import CommitBridgeKit
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
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { StandardStreams.err("warning: \($0)") }
        let queued = try store.queueCount()
        StandardStreams.out("state directory: \(configuration.stateDirectory.value)")
        StandardStreams.out("queue: \(queued) commit\(queued == 1 ? "" : "s") waiting")
        if let oldest = try store.oldestQueued() {
            let since = Date(timeIntervalSince1970: oldest.enqueuedAt)
            StandardStreams.out("  oldest: \(oldest.sha.prefix(7)), queued \(ISO8601DateFormatter().string(from: since)), \(oldest.attempts) attempt\(oldest.attempts == 1 ? "" : "s")")
        }
        if let lastError = try store.lastError() {
            StandardStreams.out("  last error: \(lastError)")
        }
        StandardStreams.out("ledger: \(try store.ledgerCount()) commit\(try store.ledgerCount() == 1 ? "" : "s") delivered")
        let cache = try store.cacheStatistics()
        let rate = cache.hitRate.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a"
        StandardStreams.out("story cache: \(cache.entries) entr\(cache.entries == 1 ? "y" : "ies"), hit rate \(rate) (\(cache.hits) hits, \(cache.misses) misses)")
    }
}
