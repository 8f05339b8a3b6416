import ArgumentParser
import CommitBridgeCore
import CommitBridgeKit
import Foundation
import GitKit

/// `commitbridge ci`: posts what a CI run after a push or merge brought, with the range taken from
/// the CI's own variables (GitHub Actions, GitLab CI) or `--range`.
struct CICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "Post the commits of this CI run (GitHub Actions and GitLab CI are detected; else --range)."
    )

    @Option(name: .long, help: "The range to post, as git rev-list takes it (overrides detection).")
    var range: String?

    @Option(name: .long, help: "Branch glob to post (repeatable; default: commitbridge.branches, else all).")
    var branch: [String] = []

    @Flag(name: .long, help: "Send nothing; show what would be posted.")
    var dryRun = false

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let detected: CIRange
        do {
            detected = try CIRangeDetector(environment: environment, readFile: { path in
                [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            }).detect(explicitRange: range)
        } catch let error as CIRangeError {
            throw CommitBridgeError.usage(error.localizedDescription)
        }
        guard case .revisions(var revisions, let provider, let note) = detected else {
            if case .nothing(let reason) = detected { StandardStreams.err("nothing to post: \(reason)") }
            return
        }
        let repository = try RepositoryOpener.open(config.repositoryPath)
        var inputs = config.inputs
        inputs.branches = branch
        let configuration = try ConfigurationLoader().loadShowingWarnings(inputs, repository: repository)
        if let name = environment["GITHUB_REF_NAME"] ?? environment["CI_COMMIT_BRANCH"], provider != .explicit,
           !BranchFilter(configuration.branches.value).matches(name) {
            StandardStreams.err("nothing to post: branch '\(name)' is not among \(configuration.branches.value.joined(separator: ", "))")
            return
        }
        if let note { StandardStreams.err("\(provider.rawValue): \(note)") }
        revisions = try CICommand.resolvable(revisions, in: repository, provider: provider)
        let service = try ReplayService(repository: repository, configuration: configuration, options: PlanningOptions())
        let execution = ReplayExecution(service: service, configuration: configuration, options: delivery.options)
        do {
            if dryRun {
                try await execution.dryRun(revisions, json: false, offline: false)
            } else {
                try await execution.deliver(revisions)
            }
        } catch let error as CommitBridgeError where repository.isShallow {
            throw CommitBridgeError.badRevision("\(error.localizedDescription); this is a shallow clone: \(CIRangeDetector.deepenAdvice(provider: provider))")
        }
    }

    /// Drops exclusions whose commit is not in the clone (a force-pushed-away tip, a shallow edge):
    /// the remaining range is larger, and the ledger and Tracker's comments keep it from posting twice.
    static func resolvable(_ revisions: [String], in repository: Repository, provider: CIProvider) throws -> [String] {
        var result: [String] = []
        for revision in revisions {
            if let dots = revision.range(of: ".."), !revision.contains("...") {
                let before = String(revision[..<dots.lowerBound])
                let after = String(revision[dots.upperBound...])
                if !before.isEmpty, (try? repository.commit(before)) == nil {
                    StandardStreams.err("\(provider.rawValue): the previous tip \(before.prefix(12)) is not in this clone (force-push or shallow clone); considering all of \(after.prefix(12))'s history, already delivered commits are skipped")
                    result.append(after.isEmpty ? "HEAD" : after)
                    continue
                }
            } else if revision.hasPrefix("^"), (try? repository.commit(String(revision.dropFirst()))) == nil {
                StandardStreams.err("\(provider.rawValue): \(revision.dropFirst().prefix(12)) is not in this clone; leaving it out of the range")
                continue
            }
            result.append(revision)
        }
        return result
    }
}
