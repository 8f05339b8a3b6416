import ArgumentParser
import CommitBridgeKit
import CommitBridgeStore

/// `commitbridge flush`: delivers what is queued.
struct FlushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush",
        abstract: "Deliver the commits waiting in the queue."
    )

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags

    @Flag(name: .long, help: .hidden)
    var background = false

    @Option(name: .long, help: .hidden)
    var heldLock: Int32?

    func run() async throws {
        let repository = try RepositoryOpener.open(config.repositoryPath)
        let configuration = try ConfigurationLoader().loadShowingWarnings(config.inputs, repository: repository)
        if background {
            try await FlushCommand.deliverInBackground(configuration, options: delivery.options, heldLock: heldLock)
        } else {
            try await FlushCommand.deliver(configuration, options: delivery.options)
        }
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
        try DeliveryPrinter.finish(try await pass(store, configuration, options: options))
    }

    /// One delivery pass over `store`'s queue, holding the state directory's delivery lock.
    static func pass(_ store: SQLiteDeliveryStore, _ configuration: Configuration, options: DeliveryOptions) async throws -> DeliveryReport {
        let lock = try DeliveryLock(stateDirectory: configuration.stateDirectory.value)
        defer { withExtendedLifetime(lock) {} }
        return try await TrackerSession.with(configuration, options: options) { api in
            try await DeliveryService(store: store, api: api, cacheTimeToLive: options.cacheTimeToLive)
                .deliverQueued(retryMissing: options.retryMissing, onEvent: DeliveryPrinter.event)
        }
    }

    /// The background delivery a hook starts: holds `FlusherLock` for its whole life and delivers
    /// pass after pass, so that commits queued by hooks while it runs go out with it. It stops after
    /// a pass that delivered nothing (Tracker down: the next hook or `flush` tries again), or when
    /// the queue holds no commit it has not tried yet; before stopping it lets go of the lock and
    /// looks once more, so a commit a hook queued while it was finishing is never left behind.
    static func deliverInBackground(_ configuration: Configuration, options: DeliveryOptions, heldLock: Int32?) async throws {
        let lock: FlusherLock
        if let descriptor = heldLock, let adopted = FlusherLock.adopt(descriptor: descriptor) {
            lock = adopted
        } else if let taken = try FlusherLock.take(stateDirectory: configuration.stateDirectory.value) {
            lock = taken
        } else {
            StandardStreams.err("a background delivery is running already; it takes the queued commits")
            return
        }
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { StandardStreams.err("warning: \($0)") }
        DeliveryPrinter.tookOver(try StateDirectory.takeOverStrandedQueues(into: store, configuration))
        var tried = Set<String>()
        while true {
            StateDirectory.takeInSpill(into: store, configuration).forEach { StandardStreams.err("warning: \($0)") }
            let queued = try store.queued().map(\.sha)
            if queued.allSatisfy(tried.contains) {
                // Hand over: a hook that found the lock taken had queued its commits before trying it.
                lock.release()
                StateDirectory.takeInSpill(into: store, configuration).forEach { StandardStreams.err("warning: \($0)") }
                guard try store.queued().contains(where: { !tried.contains($0.sha) }), try lock.retake() else { return }
                continue
            }
            let report = try await pass(store, configuration, options: options)
            tried.formUnion(queued)
            if let problem = report.authenticationProblem {
                StandardStreams.err("commitbridge: \(problem)")
            }
            report.waitingLine.map { StandardStreams.err($0) }
            StandardStreams.err(report.line)
            let delivered = report.posted + report.alreadyOnTracker
            if delivered == 0 || report.authenticationProblem != nil { return }
        }
    }
}
