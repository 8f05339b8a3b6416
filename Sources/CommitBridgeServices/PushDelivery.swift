import CommitBridgeCore
import CommitBridgeStore
import Foundation
import GitKit
import HookInstaller

/// Posting on push (the default in a work tree): post-commit queues each new commit as waiting for a
/// push, and the pre-push hook starts a background delivery that waits for `git push` to end and then
/// posts what the push put on the remote. A commit waits in the queue until a remote-tracking branch
/// holds it; one that no ref holds any more (amended, rebased or reset away) leaves the queue unposted.
/// `commitbridge.postOn = commit` posts at commit time instead.
public enum PostOn: String, Sendable, Hashable, CaseIterable {
    case push
    case commit

    /// `commitbridge.postOn` of `repository`: `push` unless set to `commit`. A bare repository
    /// (post-receive) posts what it receives, so this applies to work trees only.
    static func setting(of repository: Repository, events: EventSink) -> PostOn {
        guard !repository.isBare else { return .commit }
        guard let raw = try? repository.configString("commitbridge.postOn") else { return .push }
        guard let value = PostOn(rawValue: raw.lowercased()) else {
            events(.warning("commitbridge.postOn is '\(TerminalSafeText.line(raw, limit: 40))'; it takes 'push' or 'commit' (posting on push)"))
            return .push
        }
        return value
    }

    /// What post-commit does: `setting(of:)`, except that posting on push needs a pre-push hook
    /// that runs commitbridge (its own, or a hook manager's). Without one (an installation made
    /// before pre-push existed, not yet re-run) nothing would ever post the queued commits, so the
    /// commit is posted at once, as before.
    static func forCommitHook(_ repository: Repository, events: EventSink) -> PostOn {
        let value = setting(of: repository, events: events)
        guard value == .push else { return value }
        let installer = HookInstaller(repository: repository, scriptsDirectory: "", binaryPath: "")
        if let directory = try? installer.hooksDirectory(for: .prePush),
           let script = FileManager.default.contents(atPath: directory + "/pre-push"),
           String(decoding: script, as: UTF8.self).contains("commitbridge") {
            return .push
        }
        return HookManagers(repository: repository).runner(of: "pre-push") != nil ? .push : .commit
    }
}

/// What a pre-push hook hands to its background delivery: the remote's name and git's lines, and
/// the `git push` process to wait for.
struct PushJob: Codable, Sendable, Hashable {
    /// The remote's name as git gave it (a URL when the push named one).
    var remote: String
    /// git's `<local ref> <local sha> <remote ref> <remote sha>` lines.
    var lines: String
    /// The `git push` process: the delivery starts once it has ended.
    var gitProcess: Int32?

    /// The updates the lines describe, as `<old> <new> <ref>` on the remote's side.
    var updates: [PushUpdate] {
        lines.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 4 else { return nil }
            let text = "\(fields[3]) \(fields[1]) \(fields[2])"
            return PushUpdate.parse(text).first
        }
    }

    /// The nearest process above this one whose command is `git` (the push, when a hook manager's
    /// script runs `commitbridge hook pre-push` without `--git-pid`); nil when there is none
    /// within a few generations.
    static func nearestGitAncestor() -> Int32? {
        var pid = getppid()
        for _ in 0..<8 where pid > 1 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            if stat[stat.index(after: open)..<close] == "git" { return pid }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { return nil }
            pid = parent
        }
        return nil
    }

    /// Waits until the `git push` process has ended (checked every 20 ms, for an hour at most).
    func waitForGit() {
        guard let pid = gitProcess, pid > 1 else { return }
        let deadline = Date().addingTimeInterval(3600)
        while kill(pid, 0) == 0 || errno == EPERM, Date() < deadline {
            usleep(20_000)
        }
    }
}

/// What settling the queue against the repository's refs did.
struct PushSettlement: Sendable, Hashable {
    /// Commits a push carried that were not queued yet (made before the hooks were installed, or by
    /// a command that runs no post-commit hook), queued now.
    var queued = 0
    /// Commits now on a remote: delivery takes them.
    var released = 0
    /// Commits no ref holds any more: left the queue unposted.
    var dropped = 0
    /// Commits still waiting for a push.
    var waiting = 0
}

extension HookService {
    /// pre-push: hands git's lines to a background delivery that waits for the push to end; never
    /// stops the push (unless `strict`, and then only for a problem of commitbridge's own).
    public static func prePush(_ inputs: ConfigurationInputs, remote: String, input: String, gitProcess: Int32?, strict: Bool,
                               events: @escaping EventSink) async throws {
        try await guarded(strict: strict, events: events) {
            let workspace = try Workspace.open(inputs, events: events)
            guard PostOn.setting(of: workspace.repository, events: events) == .push, !input.isEmpty else { return }
            guard workspace.configuration.token != nil else {
                events(.problem("pushed commits stay queued; no Tracker token is configured, so nothing is sent (see 'commitbridge doctor')"))
                return
            }
            let git = gitProcess ?? PushJob.nearestGitAncestor()
            try FlushService.startPushDelivery(workspace.configuration, push: PushJob(remote: remote, lines: input, gitProcess: git))
        }
    }

    /// Settles the queue against the refs as they are now: queues what `push` carried, hands the
    /// waiting commits a remote-tracking branch holds to delivery, and drops those no ref holds.
    func settle(_ push: PushJob?, in store: any DeliveryStore) throws -> PushSettlement {
        var settlement = PushSettlement()
        if let push { settlement.queued = try queuePushed(push, into: store) }
        let waiting = try store.queued().filter(\.awaitingPush).map(\.sha)
        guard !waiting.isEmpty else { return settlement }
        let references = try repository.references()
        let remoteTips = references.filter { $0.name.hasPrefix("refs/remotes/") }.map(\.commit)
        let pushed = repository.reachable(waiting, fromAny: remoteTips)
        let rest = waiting.filter { !pushed.contains($0) }
        var tips = references.map(\.commit)
        if let head = try? repository.commit("HEAD") { tips.append(head.sha) }
        let held = repository.reachable(rest, fromAny: tips)
        let gone = rest.filter { !held.contains($0) }
        try store.releaseForDelivery(waiting.filter(pushed.contains))
        try store.dropUnreachable(gone)
        settlement.released = pushed.count
        settlement.dropped = gone.count
        settlement.waiting = rest.count - gone.count
        return settlement
    }

    /// Queues, as waiting for the push, the tagged commits of the pushed ranges the branch filter
    /// selects: `<remote sha>..<local sha>`, or for a new branch (or a remote tip this clone does not
    /// hold) what none of the remote's tracking branches reaches.
    private func queuePushed(_ push: PushJob, into store: any DeliveryStore) throws -> Int {
        let updates = push.updates.map { update in
            update.isCreation || repository.hasCommit(update.old) ? update : PushUpdate(old: String(repeating: "0", count: 40), new: update.new, ref: update.ref)
        }
        let planner = PushRangePlanner(filter: BranchFilter(configuration.branches.value))
        guard !planner.relevant(updates).isEmpty else { return 0 }
        let prefix = "refs/remotes/\(push.remote)/"
        let remoteBranches = try repository.references().filter { $0.name.hasPrefix(prefix) }
            .map { (name: "refs/heads/" + $0.name.dropFirst(prefix.count), commit: $0.commit) }
        var seen = Set<String>()
        var commits: [PlannedCommit] = []
        for range in planner.revisionSets(for: updates, references: remoteBranches) {
            _ = try replay.plan(range) { decision in
                if case .post(let commit) = decision, seen.insert(commit.sha).inserted { commits.append(commit) }
            }
        }
        guard !commits.isEmpty else { return 0 }
        let time = Date().timeIntervalSince1970
        return try store.enqueue(commits.map { QueuedCommit(planned: $0, at: time, awaitingPush: true) })
    }

    /// Settles `store`, the queue of the repository `configuration` came from (nothing without one).
    static func settle(_ configuration: Configuration, push: PushJob?, in store: any DeliveryStore,
                       events: @escaping EventSink) throws -> PushSettlement? {
        guard let gitDirectory = configuration.gitDirectory else { return nil }
        let repository = try Workspace.openRepository(gitDirectory)
        let service = try HookService(workspace: Workspace(repository: repository, configuration: configuration), events: events)
        return try service.settle(push, in: store)
    }
}

extension PushSettlement {
    /// e.g. `after the push: 3 commits on the remote to post, 1 no longer on any branch (not posted)`;
    /// nil when nothing changed.
    var line: String? {
        var parts: [String] = []
        if released > 0 { parts.append("\(released) commit\(released == 1 ? "" : "s") now on a remote, to post") }
        if dropped > 0 { parts.append("\(dropped) no longer on any branch (amended, rebased or reset away): not posted") }
        if waiting > 0 { parts.append("\(waiting) still waiting for a push") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
