import ArgumentParser
import CommitBridgeCore
import CommitBridgeKit

/// `commitbridge hook post-commit`: queues HEAD when it is tagged and delivers it in the background.
struct PostCommitHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "post-commit", abstract: "Queue and deliver the commit just made.")

    @OptionGroup var hook: HookFlags
    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        try await HookRunner.guarded(strict: hook.strict) {
            let repository = try RepositoryOpener.open(config.repositoryPath)
            let configuration = try ConfigurationLoader().load(config.inputs, repository: repository)
            let service = try HookService(repository: repository, configuration: configuration, options: PlanningOptions())
            // Deliver when this commit was queued, and also when earlier ones still wait (Tracker was down).
            guard try service.queueHead() > 0 || service.pendingCount() > 0 else { return }
            try await HookRunner.deliver(configuration, config: config, foreground: hook.foreground)
        }
    }
}
