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
        let configuration = try ConfigurationLoader().loadShowingWarnings(config.inputs, repository: repository)
        let service = try ReplayService(repository: repository, configuration: configuration,
                                        options: PlanningOptions(includeMerges: merges))
        let execution = ReplayExecution(service: service, configuration: configuration, options: delivery.options)
        if dryRun {
            try await execution.dryRun(revisions, json: json, offline: offline)
        } else {
            try await execution.deliver(revisions)
        }
    }
}
