import ArgumentParser
import CommitBridgeCore
import CommitBridgeKit

/// `commitbridge hook post-commit`: queues the new commit when it is tagged and delivers it in the
/// background. The installed script starts this in the background itself (`--commit <id> --background`),
/// so that `git commit` waits only for a shell and one `git rev-parse`.
struct PostCommitHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "post-commit", abstract: "Queue and deliver the commit just made.")

    @OptionGroup var hook: HookFlags
    @OptionGroup var config: ConfigurationOptions

    @Option(name: .long, help: "The commit to queue (default: HEAD).")
    var commit: String = "HEAD"

    @Flag(name: .long, help: "Running detached from git: write problems to <state directory>/delivery.log instead of stderr.")
    var background = false

    func run() async throws {
        try await HookRunner.guarded(strict: hook.strict) {
            let repository = try RepositoryOpener.open(config.repositoryPath)
            let configuration = try ConfigurationLoader().loadShowingWarnings(config.inputs, repository: repository)
            if background {
                try? StateDirectory.prepare(configuration)
                StandardStreams.redirectErrors(toLog: configuration.stateDirectory.value + "/delivery.log")
            }
            let service = try HookService(repository: repository, configuration: configuration, options: PlanningOptions())
            let outcome: HookQueueOutcome
            do {
                outcome = try service.queueHead(commit)
            } catch let failure as HookQueueFailure {
                let sha = failure.shas[0]
                let hasParent = ((try? repository.commit(sha))?.parentCount ?? 0) > 0
                try HookRunner.reportLost(failure, replay: [hasParent ? "\(sha)^..\(sha)" : sha], strict: hook.strict)
                return
            }
            if let line = outcome.spillLine {
                // The database is busy: delivering now would wait for it too; the next run queues these.
                StandardStreams.err("commitbridge: \(line)")
                return
            }
            // Deliver when this commit was queued, and also when earlier ones still wait (Tracker was down).
            guard try outcome.queued > 0 || service.pendingCount() > 0 else { return }
            try await HookRunner.deliver(configuration, config: config, foreground: hook.foreground)
        }
    }
}
