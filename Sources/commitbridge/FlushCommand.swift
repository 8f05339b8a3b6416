import ArgumentParser
import CommitBridgeKit

/// `commitbridge flush`: delivers what is queued.
struct FlushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush",
        abstract: "Deliver the commits waiting in the queue."
    )

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags

    func run() async throws {
        let repository = try RepositoryOpener.open(config.repositoryPath)
        let configuration = try ConfigurationLoader().load(config.inputs, repository: repository)
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { StandardStreams.err("warning: \($0)") }
        if try store.queueCount() == 0 {
            StandardStreams.err("nothing queued")
            return
        }
        let report = try await TrackerSession.with(configuration, options: delivery.options) { api in
            try await DeliveryService(store: store, api: api, cacheTimeToLive: delivery.cacheTtl)
                .deliverQueued(onEvent: DeliveryPrinter.event)
        }
        try DeliveryPrinter.finish(report)
    }
}
