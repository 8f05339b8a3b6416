import ArgumentParser
import CommitBridgeCore
import CommitBridgeKit
import Foundation

/// `commitbridge replay <range>`: backfills history that was never posted.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Post the tagged commits of a range, oldest first, each exactly once.",
        discussion: "<range> takes what git rev-list takes: a..b, a...b, ^a b, or one revision (all its ancestors)."
    )

    @Argument(help: ArgumentHelp("Revisions, as git rev-list reads them.", valueName: "range"))
    var revisions: [String] = []

    @Flag(name: .long, help: "Send nothing that changes Tracker; show what would be posted.")
    var dryRun = false

    @Flag(name: .long, help: "With --dry-run: one JSON object per commit on stdout, nothing else.")
    var json = false

    @Flag(name: .long, help: "Post merge commits too.")
    var merges = false

    @Flag(name: .long, help: "With --dry-run: look nothing up on Tracker, even with a token.")
    var offline = false

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags

    func validate() throws {
        if revisions.isEmpty {
            throw ValidationError("give a range, e.g. 'commitbridge replay origin/main..HEAD --dry-run'")
        }
        if json && !dryRun {
            throw ValidationError("--json goes with --dry-run")
        }
    }

    func run() async throws {
        let repository = try RepositoryOpener.open(config.repositoryPath)
        let configuration = try ConfigurationLoader().load(config.inputs, repository: repository)
        let service = try ReplayService(repository: repository, configuration: configuration,
                                        options: PlanningOptions(includeMerges: merges))
        if dryRun {
            try await runDry(service, configuration)
        } else {
            try await runForReal(service, configuration)
        }
    }

    private func runDry(_ service: ReplayService, _ configuration: Configuration) async throws {
        let printer = DryRunPrinter(json: json)
        let lookUp = !json && !offline && configuration.token != nil
        guard lookUp else {
            let summary = try service.plan(revisions) { printer.show($0) }
            StandardStreams.err(summary.line)
            return
        }
        // With a token: read-only story look-ups, to predict each story's new state.
        var decisions: [CommitDecision] = []
        let summary = try service.plan(revisions) { decisions.append($0) }
        let planned = decisions.compactMap { decision -> PlannedCommit? in
            if case .post(let commit) = decision { return commit }
            return nil
        }
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { StandardStreams.err("warning: \($0)") }
        let lookups = try await TrackerSession.with(configuration, options: delivery.options) { api in
            let directory = StoryDirectory(store: store, api: api, timeToLive: delivery.cacheTtl,
                                           now: { Date().timeIntervalSince1970 })
            return try await directory.lookUp(planned.flatMap { $0.references.map(\.story) })
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

    private func runForReal(_ service: ReplayService, _ configuration: Configuration) async throws {
        guard configuration.token != nil else {
            throw CommitBridgeError.configuration("no Tracker token: set TRACKER_TOKEN, pass --token-file FILE, or run 'git config commitbridge.token …' (a dry run needs none)")
        }
        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { StandardStreams.err("warning: \($0)") }
        let report = try await TrackerSession.with(configuration, options: delivery.options) { api in
            let delivery = DeliveryService(store: store, api: api, cacheTimeToLive: self.delivery.cacheTtl)
            var batch: [PlannedCommit] = []
            let summary = try service.plan(revisions) { decision in
                if case .post(let planned) = decision {
                    batch.append(planned)
                    if batch.count >= 1000 {
                        try delivery.enqueue(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
            try delivery.enqueue(batch)
            StandardStreams.err(summary.line)
            let lock = try DeliveryLock(stateDirectory: configuration.stateDirectory.value)
            let report = try await delivery.deliverQueued(onEvent: DeliveryPrinter.event)
            withExtendedLifetime(lock) {}
            return report
        }
        try DeliveryPrinter.finish(report)
    }
}
