import CommitBridgeCore
import CommitBridgeStore
import Foundation
import GitKit

/// What the git hooks do: queue the new tagged commits quickly, then leave delivery to a
/// background `flush` (a hook never blocks git). Unless `strict`, a hook's failure is one
/// `.problem` event and the hook succeeds.
public struct HookService: Sendable {
    let workspace: Workspace
    let replay: ReplayService
    let events: EventSink

    init(workspace: Workspace, events: @escaping EventSink) throws {
        self.workspace = workspace
        self.events = events
        replay = try ReplayService(workspace: workspace, options: PlanningOptions(), events: events)
    }

    var configuration: Configuration { workspace.configuration }
    var repository: Repository { workspace.repository }

    /// post-commit: queues the commit `revision` when it is tagged and delivers it, in the
    /// background unless `foreground`.
    /// - Parameters:
    ///   - revision: the commit to queue; the installed hook passes the new commit's id, because it
    ///     runs this in the background and HEAD may have moved on by then.
    ///   - logging: running detached from git: problems go to `<state directory>/delivery.log`.
    public static func postCommit(_ inputs: ConfigurationInputs, revision: String, strict: Bool, foreground: Bool,
                                  logging: Bool, events: @escaping EventSink) async throws {
        try await guarded(strict: strict, events: events) {
            let workspace = try Workspace.open(inputs, events: events)
            if logging {
                try? StateDirectory.prepare(workspace.configuration)
                BackgroundProcess.redirectErrors(toLog: workspace.configuration.stateDirectory.value + "/delivery.log")
            }
            let service = try HookService(workspace: workspace, events: events)
            // Posting on push: the commit waits in the queue; the pre-push hook's delivery posts it
            // once a push has put it on the remote.
            let onPush = PostOn.forCommitHook(workspace.repository, events: events) == .push
            let outcome: HookQueueOutcome
            do {
                outcome = try service.queueHead(revision, awaitingPush: onPush)
            } catch let failure as HookQueueFailure {
                let sha = failure.shas[0]
                let hasParent = ((try? workspace.repository.commit(sha))?.parentCount ?? 0) > 0
                try reportLost(failure, replay: [hasParent ? "\(sha)^..\(sha)" : sha], strict: strict, events: events)
                return
            }
            if onPush {
                outcome.spillLine.map { events(.problem($0)) }
                return
            }
            try await service.deliver(after: outcome, foreground: foreground)
        }
    }

    /// post-receive: queues the tagged commits a push brought in, from git's `<old> <new> <ref>`
    /// lines, and delivers them, in the background unless `foreground`.
    public static func postReceive(_ inputs: ConfigurationInputs, input: String, strict: Bool, foreground: Bool,
                                   events: @escaping EventSink) async throws {
        try await guarded(strict: strict, events: events) {
            let service = try HookService(workspace: Workspace.open(inputs, events: events), events: events)
            let updates = PushUpdate.parse(input)
            let outcome: HookQueueOutcome
            do {
                outcome = try service.queuePush(updates)
            } catch let failure as HookQueueFailure {
                let ranges = updates.filter { $0.isBranch && !$0.isDeletion }
                    .map { $0.isCreation ? $0.new : "\($0.old)..\($0.new)" }
                try reportLost(failure, replay: ranges, strict: strict, events: events)
                return
            }
            if outcome.queued > 0 {
                events(.problem("\(outcome.queued) commit\(outcome.queued == 1 ? "" : "s") queued for Tracker"))
            }
            try await service.deliver(after: outcome, foreground: foreground)
        }
    }

    /// Runs `work`; a failure is one `.problem` event and, unless `strict`, the hook succeeds.
    static func guarded(strict: Bool, events: EventSink, _ work: () async throws -> Void) async throws {
        do {
            try await work()
        } catch {
            guard !strict else { throw error }
            if let failure = error as? CommitBridgeError {
                events(.problem("\(failure.localizedDescription) (the hook goes on; run 'commitbridge doctor')"))
            } else {
                let line = StoreError.line(for: error).map { "the state database could not be written: \($0)" } ?? "\(error)"
                events(.problem("\(line) (the hook goes on)"))
            }
        }
    }

    /// Commits that were neither queued nor kept in the spill file: one line saying what went wrong
    /// and which replay posts them; with `strict` it is thrown (exit 2) instead.
    static func reportLost(_ failure: HookQueueFailure, replay ranges: [String], strict: Bool, events: EventSink) throws {
        let commits = failure.shas.count == 1 ? "commit \(failure.shas[0].prefix(7))" : "\(failure.shas.count) commits"
        let commands = ranges.map { "'commitbridge replay \($0)'" }.joined(separator: " and ")
        let line = "\(commits) could not be queued: \(failure.problem); run \(commands) to post \(failure.shas.count == 1 ? "it" : "them")"
        guard !strict else { throw CommitBridgeError.configuration(line) }
        events(.problem(line))
    }

    /// Delivers what is queued after a hook queued `outcome`: when it queued commits, and also when
    /// earlier ones still wait (Tracker was down). Here and now with `foreground`, else in a
    /// detached background delivery handed the whole configuration.
    func deliver(after outcome: HookQueueOutcome, foreground: Bool) async throws {
        if let line = outcome.spillLine {
            // The database is busy: delivering now would wait for it too; the next run queues these.
            events(.problem(line))
            return
        }
        guard try outcome.queued > 0 || pendingCount() > 0 else { return }
        guard configuration.token != nil else {
            events(.problem("commit queued; no Tracker token is configured, so nothing is sent (see 'commitbridge doctor')"))
            return
        }
        if foreground {
            if let report = try await FlushService.flush(configuration, events: events) {
                try report.throwIfUndelivered(events: events)
            }
        } else {
            try FlushService.startInBackground(configuration)
        }
    }

    /// Queues the commit `revision` when it is tagged. Returns how many commits were queued (0 when
    /// it is untagged, a merge, or already queued or delivered) or kept in the spill file; the
    /// database is only opened when there is something to queue.
    func queueHead(_ revision: String = "HEAD", awaitingPush: Bool = false) throws -> HookQueueOutcome {
        // git runs post-commit for every commit a rebase rewrites; those commits were posted under
        // their old ids already, so a rebase in progress posts nothing.
        if isRebasing { return HookQueueOutcome() }
        let head: Commit
        do {
            head = try repository.commit(revision)
        } catch let error as GitError {
            throw CommitBridgeError.badRevision(error.localizedDescription)
        }
        guard case .post(let commit) = replay.planner.plan(CommitSnapshot(head)) else { return HookQueueOutcome() }
        return try queue([commit], awaitingPush: awaitingPush)
    }

    /// Queues the tagged commits a push brought in to the branches the configuration selects (see
    /// `PushRangePlanner`).
    func queuePush(_ updates: [PushUpdate]) throws -> HookQueueOutcome {
        let planner = PushRangePlanner(filter: BranchFilter(configuration.branches.value))
        let relevant = planner.relevant(updates)
        guard !relevant.isEmpty else { return HookQueueOutcome() }
        // Only a new branch needs the other refs (its range excludes all they reach); an update of an
        // existing branch is old..new, so a push costs what it brings, not what the repository holds.
        let references = relevant.contains(where: \.isCreation)
            ? try repository.references().map { (name: $0.name, commit: $0.commit) } : []
        var seen = Set<String>()
        var commits: [PlannedCommit] = []
        for range in planner.revisionSets(for: updates, references: references) {
            _ = try replay.plan(range) { decision in
                if case .post(let commit) = decision, seen.insert(commit.sha).inserted { commits.append(commit) }
            }
        }
        return try queue(commits)
    }

    /// Whether a rebase is under way (git keeps its state in rebase-merge/ or rebase-apply/).
    var isRebasing: Bool {
        ["rebase-merge", "rebase-apply"].contains { FileManager.default.fileExists(atPath: repository.gitDirectory + "/" + $0) }
    }

    /// Commits waiting in the queue, from earlier hooks whose delivery failed, and those kept in the
    /// spill file. Cheap when the state directory has no database yet (nothing was ever queued): no
    /// database is opened then.
    func pendingCount() throws -> Int {
        // Commits kept in the spill file count, and so do those queued under another tracker URL
        // that never delivered anything (a wrong URL since corrected): the delivery takes them over.
        let kept = StateDirectory.spillFile(for: configuration).isPending ? 1 : 0
        let stranded = try StateDirectory.strandedCount(configuration)
        guard StateDirectory.hasDatabase(configuration) else { return kept + stranded }
        return try StateDirectory.open(configuration, verifyIntegrity: false, quick: true).store.queueCount() + kept + stranded
    }

    /// Queues `commits`, after those earlier hooks kept in the spill file and in the same
    /// transaction, waiting at most `SQLiteDeliveryStore.hookBusyTimeout` for the database; what it
    /// does not take is appended to the spill file. Throws `HookQueueFailure` when that fails too.
    private func queue(_ commits: [PlannedCommit], awaitingPush: Bool = false) throws -> HookQueueOutcome {
        guard !commits.isEmpty else { return HookQueueOutcome() }
        let time = Date().timeIntervalSince1970
        let queued = commits.map { QueuedCommit(planned: $0, at: time, awaitingPush: awaitingPush) }
        let spill = StateDirectory.spillFile(for: configuration)
        let problem: String
        do {
            let (store, _) = try StateDirectory.open(configuration, verifyIntegrity: false, quick: true)
            return HookQueueOutcome(queued: try spill.takeIn(into: store, lockWait: SQLiteDeliveryStore.hookBusyTimeout, along: queued).added)
        } catch CommitBridgeError.configuration(let text) {
            problem = text
        } catch {
            problem = StoreError.line(for: error) ?? "\(error)"
        }
        do {
            try spill.append(queued, lockWait: SQLiteDeliveryStore.hookBusyTimeout)
        } catch {
            throw HookQueueFailure(shas: queued.map(\.sha), problem: "\(problem); nor could they be kept in \(spill.path): \(StoreError.line(for: error) ?? "\(error)")")
        }
        return HookQueueOutcome(spilled: queued.map(\.sha), spillFile: spill.path, problem: problem)
    }
}

/// What a hook did with the commits it was given: queued them, or, when the state database was
/// busy or could not be written, kept them in the spill file for the next run to queue.
struct HookQueueOutcome: Sendable, Hashable {
    /// Commits added to the queue (those already queued or delivered are not counted).
    var queued = 0
    /// The commits kept in the spill file, oldest first.
    var spilled: [String] = []
    /// The spill file they were kept in.
    var spillFile: String?
    /// Why the database did not take them, one line.
    var problem: String?

    /// e.g. `the state database could not take new commits (database is locked …); commit 1a2b3c4 was
    /// kept in <file> and will be queued by the next commitbridge run …`, or nil when nothing was kept.
    var spillLine: String? {
        guard let first = spilled.first, let spillFile else { return nil }
        let commits = spilled.count == 1 ? "commit \(first.prefix(7)) was" : "\(spilled.count) commits were"
        return "the state database could not take new commits (\(problem ?? "busy")); \(commits) kept in \(spillFile) "
            + "and will be queued by the next commitbridge run (a hook, flush, replay or status)"
    }
}

/// A hook could neither queue its commits nor keep them in the spill file: they exist only in git
/// now, and `commitbridge replay` must be run over them.
struct HookQueueFailure: Error, Sendable, Hashable {
    /// The commits that were neither queued nor kept.
    let shas: [String]
    /// Why the database did not take them, and why the spill file did not, one line.
    let problem: String
}

extension DeliveryReport {
    /// Reports an authentication problem and throws `undelivered` (exit 1) when anything stays queued.
    public func throwIfUndelivered(events: EventSink) throws {
        if let problem = authenticationProblem { events(.problem(problem)) }
        waitingLine.map { events(.note($0)) }
        events(.note(line))
        if !allDelivered {
            throw CommitBridgeError.undelivered("\(undelivered.count) commit\(undelivered.count == 1 ? "" : "s") could not be delivered and stay queued")
        }
    }
}
