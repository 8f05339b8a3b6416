import ArgumentParser
import CommitBridgeCore
import CommitBridgeKit

/// `commitbridge replay <range>`: backfills history that was never posted.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Post the tagged commits of a range, oldest first.",
        discussion: "<range> takes what git rev-list takes: a..b, a...b, ^a b, or one revision (all its ancestors)."
    )

    @Argument(help: ArgumentHelp("Revisions, as git rev-list reads them.", valueName: "range"))
    var revisions: [String] = []

    @Flag(name: .long, help: "Send nothing; show what would be posted.")
    var dryRun = false

    @Flag(name: .long, help: "With --dry-run: one JSON object per commit on stdout, nothing else.")
    var json = false

    @Flag(name: .long, help: "Post merge commits too.")
    var merges = false

    @Flag(name: .long, help: "Look nothing up on Tracker, even with a token.")
    var offline = false

    @OptionGroup var config: ConfigurationOptions

    func validate() throws {
        if revisions.isEmpty {
            throw ValidationError("give a range, e.g. 'commitbridge replay origin/main..HEAD --dry-run'")
        }
        if json && !dryRun {
            throw ValidationError("--json goes with --dry-run")
        }
    }

    func run() throws {
        let repository = try RepositoryOpener.open(config.repositoryPath)
        let configuration = try ConfigurationLoader().load(config.inputs, repository: repository)
        guard dryRun else {
            throw CommitBridgeError.usage("posting is not available in this version yet; run with --dry-run to see what would be posted")
        }
        let service = try ReplayService(repository: repository, configuration: configuration,
                                        options: PlanningOptions(includeMerges: merges))
        let printer = DryRunPrinter(json: json)
        let summary = try service.plan(revisions) { decision in
            printer.show(decision)
        }
        StandardStreams.err(summary.line)
    }
}
