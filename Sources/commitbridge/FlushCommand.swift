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
        let configuration = try ConfigurationLoader().loadShowingWarnings(config.inputs, repository: repository)
        try await FlushCommand.deliver(configuration, options: delivery.options)
    }

    /// One delivery pass over the queue, holding the state directory's delivery lock.
    static func deliver(_ configuration: Configuration, options: DeliveryOptions) async throws {
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { StandardStreams.err("warning: \($0)") }
        DeliveryPrinter.tookOver(try StateDirectory.takeOverStrandedQueues(into: store, configuration))
        if try store.queueCount() == 0 {
            StandardStreams.err("nothing queued")
            return
        }
        let lock = try DeliveryLock(stateDirectory: configuration.stateDirectory.value)
        let report = try await TrackerSession.with(configuration, options: options) { api in
            try await DeliveryService(store: store, api: api, cacheTimeToLive: options.cacheTimeToLive)
                .deliverQueued(retryMissing: options.retryMissing, onEvent: DeliveryPrinter.event)
        }
        withExtendedLifetime(lock) {}
        try DeliveryPrinter.finish(report)
    }
}
