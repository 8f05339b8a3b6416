import CommitBridgeCore
import Foundation
import GitKit

/// `ci`: posts what a CI run after a push or merge brought, with the range taken from the CI's own
/// variables (GitHub Actions, GitLab CI) or given explicitly.
///
/// CI services clone shallow by default (GitHub one commit deep, GitLab twenty). When the push's
/// previous tip is not in the clone, `ci` deepens the clone itself with `git fetch --deepen`, in
/// growing steps up to `deepen` commits; when it cannot reach it, it considers what the clone holds
/// and says so. A new branch posts only the commits no other remote branch holds.
public enum CIService {
    /// What a run does with the commits it finds.
    public enum Mode: Sendable {
        /// Queue and deliver them.
        case deliver
        /// Show them; with `predict`, ask Tracker (through the cache) what each would change.
        case dryRun(predict: Bool)
    }

    /// What a CI run came to.
    public enum Outcome: Sendable {
        /// Nothing to post, and why (no push event, a branch left out, …).
        case nothing(String)
        /// A dry run's summary.
        case dryRun(ReplaySummary, Facts)
        /// A delivery's report.
        case delivered(DeliveryReport, Facts)
    }

    /// How the range of a run was arrived at, for its summary.
    public struct Facts: Sendable, Hashable {
        /// Where the range came from (`GitHub Actions`, `GitLab CI`, `--range`).
        public var provider: String
        /// The range walked, as `git rev-list` arguments.
        public var range: String
        /// Commits fetched by deepening the clone (0 when it was not shallow, or deep enough).
        public var deepenedBy = 0
        /// Set when the previous tip was not reached: what was left out and how to fix it.
        public var shortfall: String?
    }

    /// The deepening cap when neither `--deepen` nor `commitbridge.deepen` says otherwise.
    public static let defaultDeepen = 1000

    /// - Parameters:
    ///   - explicitRange: `--range`, overriding detection.
    ///   - deepen: `--deepen`, the most commits to fetch into a shallow clone (else
    ///     `commitbridge.deepen`, else 1,000).
    ///   - environment: the CI's variables (the process environment).
    public static func run(_ inputs: ConfigurationInputs, explicitRange: String?, mode: Mode, deepen: Int? = nil,
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
        guard case .revisions(let detectedRange, let provider, let note) = detected else {
            if case .nothing(let reason) = detected { return .nothing(reason) }
            return .nothing("no range")
        }
        var workspace = try Workspace.open(inputs, events: events, environment: environment)
        let branches = workspace.configuration.branches.value
        let branch = environment["GITHUB_REF_NAME"] ?? environment["CI_COMMIT_BRANCH"]
        if let branch, provider != .explicit, !BranchFilter(branches).matches(branch) {
            return .nothing("branch '\(branch)' is not among \(branches.joined(separator: ", "))")
        }
        if let note { events(.note("\(provider.rawValue): \(note)")) }

        var range = detectedRange
        var facts = Facts(provider: provider.rawValue, range: range.description)
        if CIRangeDetector.isNewBranch(detected) {
            range = excludingOtherRemoteBranches(range, branch: branch, in: workspace.repository)
        } else if note == CIRangeDetector.forcePushNote {
            // The old tip of a force-push is usually gone from the server too: deepening would not
            // find it. What no other remote branch holds is what the push can have brought.
            let present = range.excluding.filter { (try? workspace.repository.commit($0)) != nil }
            range = excludingOtherRemoteBranches(.commits(reachableFrom: range.including, excluding: present), branch: branch,
                                                 in: workspace.repository)
        } else {
            let cap = try deepen ?? configuredDeepen(workspace.repository)
            let (deepened, fetched) = try deepenUntilPresent(range.excluding, in: workspace.repository, cap: cap, events: events)
            if fetched > 0 {
                // A fresh handle: the clone's objects and its shallow edge changed under the old one.
                workspace = Workspace(repository: try Workspace.openRepository(inputs.repositoryPath), configuration: workspace.configuration)
            }
            facts.deepenedBy = fetched
            let (resolvable, shortfall) = resolvable(range, in: workspace.repository, provider: provider, cap: cap, deepened: deepened,
                                                     events: events)
            range = resolvable
            facts.shortfall = shortfall
        }
        facts.range = range.description

        let replay = try ReplayService(workspace: workspace, options: PlanningOptions(), events: events)
        do {
            switch mode {
            case .dryRun(let predict): return .dryRun(try await replay.dryRun(range, predict: predict), facts)
            case .deliver: return .delivered(try await replay.deliver(range), facts)
            }
        } catch let error as CommitBridgeError where workspace.repository.isShallow {
            throw CommitBridgeError.badRevision("\(error.localizedDescription); this is a shallow clone: \(CIRangeDetector.deepenAdvice(provider: provider))")
        }
    }

    /// `commitbridge.deepen`, a number of commits; `defaultDeepen` when unset.
    static func configuredDeepen(_ repository: Repository) throws -> Int {
        guard let text = try? repository.configString("commitbridge.deepen"), !text.isEmpty else { return defaultDeepen }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw CommitBridgeError.configuration("commitbridge.deepen takes a number of commits, 0 or more (it is '\(TerminalSafeText.cut(text, limit: 40))')")
        }
        return value
    }

    /// A new branch's range: its tip, less every other remote branch's tip (the branch's own remote
    /// branch and the remotes' `HEAD` are not excluded).
    static func excludingOtherRemoteBranches(_ range: RevisionRange, branch: String?, in repository: Repository) -> RevisionRange {
        let others = ((try? repository.references()) ?? []).filter { reference in
            guard reference.name.hasPrefix("refs/remotes/") else { return false }
            let short = reference.name.dropFirst("refs/remotes/".count).split(separator: "/", maxSplits: 1)
            guard short.count == 2 else { return false }
            return short[1] != "HEAD" && branch.map { short[1] != $0 } ?? true
        }
        let tips = Set(others.map(\.commit)).subtracting(range.including).sorted()
        return RevisionRange(range.arguments + tips.map(RevisionRange.Argument.exclude))
    }

    /// In a shallow clone, fetches more history (`git fetch --deepen`, 10 commits, then twice as
    /// many each time, `cap` in all at most) until every commit of `needed` is present. Returns
    /// whether they all are, and how many commits deep the clone was deepened.
    static func deepenUntilPresent(_ needed: [String], in repository: Repository, cap: Int, events: EventSink) throws -> (present: Bool, fetched: Int) {
        func missing() -> [String] { needed.filter { (try? repository.commit($0)) == nil } }
        guard repository.isShallow else { return (missing().isEmpty, 0) }
        guard !missing().isEmpty else { return (true, 0) }
        let directory = repository.workingDirectory ?? repository.gitDirectory
        var fetched = 0
        var step = 10
        while fetched < cap {
            let depth = min(step, cap - fetched)
            switch Git.run(["fetch", "--quiet", "--no-tags", "--deepen=\(depth)"], in: directory) {
            case .failure(let problem):
                events(.warning("cannot deepen the clone (\(problem)); going on with what it holds"))
                return (false, fetched)
            case .success:
                fetched += depth
            }
            if missing().isEmpty {
                events(.note("deepened the shallow clone by \(fetched) commits to reach \(needed.map { String($0.prefix(12)) }.joined(separator: ", "))"))
                return (true, fetched)
            }
            step *= 2
        }
        return (false, fetched)
    }

    /// Drops exclusions whose commit is not in the clone (a force-pushed-away tip, a clone still too
    /// shallow): the remaining range is larger, and the ledger and Tracker's comments keep it from
    /// posting twice. Returns the range and, when the previous tip was not reached in a shallow
    /// clone, a line saying what was not considered.
    static func resolvable(_ range: RevisionRange, in repository: Repository, provider: CIProvider, cap: Int, deepened: Bool,
                           events: EventSink) -> (RevisionRange, String?) {
        func present(_ revision: String) -> Bool { (try? repository.commit(revision)) != nil }
        var kept: [RevisionRange.Argument] = []
        var shortfall: String?
        for argument in range.arguments {
            let missingTip: (before: String, after: String?)?
            switch argument {
            case .range(let before, let after) where !present(before):
                missingTip = (before, after)
                kept.append(.include(after))
            case .exclude(let revision) where !present(revision):
                missingTip = (revision, nil)
            default:
                missingTip = nil
                kept.append(argument)
            }
            guard let (before, after) = missingTip else { continue }
            let tip = after.map { " of \($0.prefix(12))" } ?? ""
            if repository.isShallow && !deepened {
                let line = "the previous tip \(before.prefix(12)) was not found within \(cap) commits\(tip) (commitbridge.deepen); "
                    + "the commits this shallow clone holds were considered and older ones were not: "
                    + "raise commitbridge.deepen (or --deepen), or run 'git fetch --unshallow' and 'commitbridge replay \(before.prefix(12))..\(after.map { String($0.prefix(12)) } ?? "HEAD")'"
                events(.warning(line))
                shortfall = line
            } else {
                events(.note("\(provider.rawValue): the previous tip \(before.prefix(12)) is not in this clone (a force-push?); "
                    + "considering the history\(tip) it holds, already delivered commits are skipped"))
            }
        }
        return (RevisionRange(kept), shortfall)
    }
}

/// The `git` command, for what libgit2 cannot do here (fetching into a shallow clone).
enum Git {
    /// Runs `git <arguments>` in `directory`; its stderr's last line on failure.
    static func run(_ arguments: [String], in directory: String) -> Result<Void, GitCommandFailure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(GitCommandFailure(text: "git could not be started: \(error.localizedDescription)"))
        }
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            let last = lines.last.map(String.init) ?? "exit status \(process.terminationStatus)"
            let text = process.terminationStatus == 127 ? "git is not installed" : "git \(arguments.first ?? ""): \(last)"
            return .failure(GitCommandFailure(text: TerminalSafeText.cut(text, limit: 300)))
        }
        return .success(())
    }
}

/// Why a `git` command failed, one line.
struct GitCommandFailure: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}
