import ArgumentParser
import CommitBridgeCore
import CommitBridgeKit
import Foundation

/// `commitbridge hook post-receive`: reads `<old> <new> <ref>` lines and queues what the push brought.
struct PostReceiveHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "post-receive", abstract: "Queue and deliver the commits a push brought in.")

    @OptionGroup var hook: HookFlags
    @OptionGroup var config: ConfigurationOptions

    @Option(name: .long, help: "Branch glob to post (repeatable; default: commitbridge.branches, else all).")
    var branch: [String] = []

    func run() async throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        try await HookRunner.guarded(strict: hook.strict) {
            let repository = try RepositoryOpener.open(config.repositoryPath)
            var inputs = config.inputs
            inputs.branches = branch
            let configuration = try ConfigurationLoader().loadShowingWarnings(inputs, repository: repository)
            let service = try HookService(repository: repository, configuration: configuration, options: PlanningOptions())
            let updates = PushUpdate.parse(input)
            let outcome: HookQueueOutcome
            do {
                outcome = try service.queuePush(updates, filter: BranchFilter(configuration.branches.value))
            } catch let failure as HookQueueFailure {
                let ranges = updates.filter { $0.isBranch && !$0.isDeletion }
                    .map { $0.isCreation ? $0.new : "\($0.old)..\($0.new)" }
                try HookRunner.reportLost(failure, replay: ranges, strict: hook.strict)
                return
            }
            if let line = outcome.spillLine {
                StandardStreams.err("commitbridge: \(line)")
                return
            }
            let queued = outcome.queued
            if queued > 0 {
                StandardStreams.err("commitbridge: \(queued) commit\(queued == 1 ? "" : "s") queued for Tracker")
            }
            guard try queued > 0 || service.pendingCount() > 0 else { return }
            try await HookRunner.deliver(configuration, config: config, foreground: hook.foreground)
        }
    }
}
