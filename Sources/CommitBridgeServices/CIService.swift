import CommitBridgeCore
import Foundation
import GitKit

/// `ci`: posts what a CI run after a push or merge brought, with the range taken from the CI's own
/// variables (GitHub Actions, GitLab CI) or given explicitly.
public enum CIService {
    /// What a CI run came to.
    public enum Outcome: Sendable {
        /// Nothing to post, and why (no push event, a branch left out, …).
        case nothing(String)
        /// A dry run's summary.
        case dryRun(ReplaySummary)
        /// A delivery's report.
        case delivered(DeliveryReport)
    }

    /// - Parameters:
    ///   - explicitRange: `--range`, overriding detection.
    ///   - environment: the CI's variables (the process environment).
    public static func run(_ inputs: ConfigurationInputs, explicitRange: String?, dryRun: Bool,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           events: @escaping EventSink) async throws -> Outcome {
        let detected: CIRange
        do {
            detected = try CIRangeDetector(environment: environment, readFile: { path in
                [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            }).detect(explicitRange: explicitRange)
        } catch CIRangeError.badRange(let reason) {
            throw CommitBridgeError.badRevision(reason)
        } catch let error as CIRangeError {
            throw CommitBridgeError.usage(error.localizedDescription)
        }
        guard case .revisions(let range, let provider, let note) = detected else {
            if case .nothing(let reason) = detected { return .nothing(reason) }
            return .nothing("no range")
        }
        let workspace = try Workspace.open(inputs, events: events, environment: environment)
        let branches = workspace.configuration.branches.value
        if let name = environment["GITHUB_REF_NAME"] ?? environment["CI_COMMIT_BRANCH"], provider != .explicit,
           !BranchFilter(branches).matches(name) {
            return .nothing("branch '\(name)' is not among \(branches.joined(separator: ", "))")
        }
        if let note { events(.note("\(provider.rawValue): \(note)")) }
        let repository = workspace.repository
        let resolvable = resolvable(range, in: repository, provider: provider, events: events)
        let replay = try ReplayService(workspace: workspace, options: PlanningOptions(), events: events)
        do {
            return dryRun ? .dryRun(try await replay.dryRun(resolvable, predict: true))
                : .delivered(try await replay.deliver(resolvable))
        } catch let error as CommitBridgeError where repository.isShallow {
            throw CommitBridgeError.badRevision("\(error.localizedDescription); this is a shallow clone: \(CIRangeDetector.deepenAdvice(provider: provider))")
        }
    }

    /// Drops exclusions whose commit is not in the clone (a force-pushed-away tip, a shallow edge):
    /// the remaining range is larger, and the ledger and Tracker's comments keep it from posting twice.
    static func resolvable(_ range: RevisionRange, in repository: Repository, provider: CIProvider, events: EventSink) -> RevisionRange {
        func present(_ revision: String) -> Bool { (try? repository.commit(revision)) != nil }
        var kept: [RevisionRange.Argument] = []
        for argument in range.arguments {
            switch argument {
            case .range(let before, let after) where !present(before):
                events(.note("\(provider.rawValue): the previous tip \(before.prefix(12)) is not in this clone (force-push or shallow clone); considering all of \(after.prefix(12))'s history, already delivered commits are skipped"))
                kept.append(.include(after))
            case .exclude(let revision) where !present(revision):
                events(.note("\(provider.rawValue): \(revision.prefix(12)) is not in this clone; leaving it out of the range"))
            default:
                kept.append(argument)
            }
        }
        return RevisionRange(kept)
    }
}
