import CommitBridgeCore
import Foundation
import GitKit
import TrackerClient

/// Delivers queued commits exactly once (see docs/delivery.md).
///
/// - The comments of every story of the queue are read from Tracker right before posting, once a
///   story per pass (never from the cache: another clone may have posted a commit a moment ago); a
///   commit a story's comments already carry is recorded and not posted again. A story Tracker said
///   does not exist is not asked again within the cache's time-to-live; a commit none of whose
///   stories exist stays queued, reported, until one does.
/// - A POST attempt is counted in the store *before* the request goes out. The attempts of one pass
///   are marked together, in one transaction before its first POST.
/// - Commits sharing a story are posted in queue order; a commit whose predecessor failed waits.
/// - The posts run in one task group, at most `concurrency` at a time, and the pass can be
///   cancelled. Only the pass touches the store, through the store's suspending methods, so no task
///   of Swift's shared executor ever waits for the disk. Ledger rows are written in groups of
///   `ledgerBatch` as posts finish, each group by a task of the same group while posting goes on,
///   and all of them before the pass reports; a row lost to a crash costs the next run nothing but
///   the comment read it makes anyway, never a second POST.
struct DeliveryService: Sendable {
    let store: DeliveryStore
    let api: TrackerAPI
    let directory: StoryDirectory
    let concurrency: Int
    let now: @Sendable () -> Double
    /// Ledger rows written in one transaction.
    var ledgerBatch = 64
    /// Post a commit whose change was delivered under another id (`--post-rewritten`).
    var postRewritten = false
    /// Clients for authors with tokens of their own, by e-mail address: their commits are posted
    /// with them (look-ups use `api`).
    var authorAPIs: [String: TrackerAPI] = [:]
    /// The change of a commit the repository holds; nil for one it does not (or without a repository).
    var localChange: @Sendable (String) -> ChangeIdentity? = { _ in nil }
    /// Told how many of a pass's posts have ended, of how many, after each one (and at 0).
    var onProgress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }

    init(store: DeliveryStore, api: TrackerAPI, cacheTimeToLive: Double, concurrency: Int = 4,
         now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.api = api
        self.now = now
        self.concurrency = max(1, concurrency)
        directory = StoryDirectory(store: store, api: api, timeToLive: cacheTimeToLive, now: now)
    }

    /// Delivers everything in the queue; what cannot be delivered stays queued with its error.
    /// A commit whose stories all do not exist on Tracker stays queued too, without counting as a
    /// failure: it is posted once one of its stories exists (asked again when Tracker's answer is
    /// older than the cache's time-to-live, or at once with `retryMissing`).
    /// Throws `CommitBridgeError.configuration` when Tracker's answers show the tracker URL is
    /// wrong; nothing is recorded then.
    func deliverQueued(retryMissing: Bool = false,
                       onEvent: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) async throws -> DeliveryReport {
        let queue = try await store.queuedCommits()
        var report = DeliveryReport()
        guard !queue.isEmpty else { return report }

        let lookups: StoryDirectory.Lookups
        do {
            lookups = try await directory.lookUpForDelivery(queue.flatMap(\.stories), retryMissing: retryMissing)
        } catch let error as TrackerRequestError where error.isAuthenticationFailure {
            report.authenticationProblem = error.description
            try await store.write(queue.map { .failed(sha: $0.sha, error: error.description) })
            for commit in queue { report.undelivered[commit.sha] = error.description }
            return report
        } catch let error as TrackerRequestError where error.isConfigurationProblem {
            throw CommitBridgeError.configuration(error.description)
        }
        report.storyLookups = lookups.networkLookups

        // Decide from the fresh answers. The ledger rows of the commits already on Tracker, the
        // attempt marks of the commits to post and the errors of the others go to the disk in one
        // transaction, before any POST.
        var toPost: [Post] = []
        var firstWrites: [DeliveryWrite] = []
        var blocked = Set<Int64>()
        var rewrites = try rewriteCheck(for: queue)
        for commit in queue {
            if let failed = commit.stories.first(where: { lookups.failures[$0] != nil }) {
                let problem = "story \(failed) could not be looked up: \(lookups.failures[failed]!.description)"
                firstWrites.append(.failed(sha: commit.sha, error: problem))
                report.undelivered[commit.sha] = problem
                onEvent(.failed(sha: commit.sha, problem: "story look-up failed: \(lookups.failures[failed]!.description)",
                                stories: commit.stories))
                // The story's later commits wait for this one.
                blocked.formUnion(commit.stories)
                continue
            }
            let existing = commit.stories.compactMap { story -> (StoryRecord, Set<String>)? in
                if case .found(let record, let identifiers, _)? = lookups.found[story] { return (record, identifiers) }
                return nil
            }
            if existing.isEmpty {
                firstWrites.append(.failed(sha: commit.sha, error: Self.waitingLine(commit.stories)))
                report.waitingForStories.append(commit.sha)
                for story in commit.stories { report.waitingCommitsByStory[story, default: 0] += 1 }
            } else if existing.contains(where: { $0.1.contains(commit.sha) }) {
                firstWrites.append(.delivered(sha: commit.sha, stories: commit.stories, outcome: .alreadyOnTracker, response: nil, at: now()))
                report.alreadyOnTracker += 1
                onEvent(.delivered(sha: commit.sha, outcome: .alreadyOnTracker))
            } else if let check = rewrites, let original = originalDelivery(of: commit, check: check, found: lookups.found) {
                firstWrites.append(.delivered(sha: commit.sha, stories: commit.stories, outcome: .alreadyDelivered, response: original, at: now()))
                report.alreadyDelivered[commit.sha] = original
                onEvent(.rewritten(sha: commit.sha, original: original))
            } else {
                toPost.append(Post(commit: commit, probe: existing[0].0))
                firstWrites.append(.attempt(sha: commit.sha, at: now()))
                // A second copy of this change later in the same pass is this one's rewrite.
                if var check = rewrites {
                    if let change = commit.change, check.deliveredByKey[change.key] == nil { check.deliveredByKey[change.key] = commit.sha }
                    check.deliveredCommits.insert(commit.sha)
                    rewrites = check
                }
            }
        }
        try await store.write(firstWrites)
        try await post(toPost, blocked: blocked, found: lookups.found, into: &report, onEvent: onEvent)
        return report
    }

    /// What the ledger knows of the queue's changes: delivered commits carrying the same changes,
    /// and delivered commits a cherry-pick names; nil with `postRewritten` (nothing is checked).
    private func rewriteCheck(for queue: [QueuedCommit]) throws -> RewriteCheck? {
        guard !postRewritten else { return nil }
        let changes = queue.compactMap(\.change)
        let picked = changes.flatMap(\.pickedFrom).filter { $0.count == 40 }
        return RewriteCheck(deliveredByKey: try store.deliveredChanges(changes.map(\.key)),
                            deliveredCommits: try store.deliveredSHAs(among: picked))
    }

    /// The commit under which `commit`'s change was delivered already, from the ledger and the
    /// fresh comments of its stories; nil when it is a new change (or was queued without one).
    private func originalDelivery(of commit: QueuedCommit, check: RewriteCheck, found: [Int64: StoryLookup]) -> String? {
        guard let change = commit.change else { return nil }
        var comments: [TrackerComment] = []
        for story in commit.stories {
            if case .found(_, _, let listed)? = found[story] { comments += listed }
        }
        return check.original(of: commit.sha, change: change, message: Self.message(of: commit),
                              comments: comments, localChange: localChange)
    }

    /// The message a queued commit posts (from its request body).
    static func message(of commit: QueuedCommit) -> String {
        struct Body: Decodable {
            struct Fields: Decodable { let message: String? }
            let source_commit: Fields?
        }
        return (try? JSONDecoder().decode(Body.self, from: Data(commit.body.utf8)))?.source_commit?.message ?? ""
    }

    /// One commit to post, and a story of it that exists, whose comments tell whether a POST that
    /// got no answer was applied.
    struct Post: Sendable {
        let commit: QueuedCommit
        let probe: StoryRecord
    }

    /// How one POST ended.
    private enum Ending: Sendable {
        case delivered(DeliveryOutcome, response: String?)
        case failed(String, TrackerRequestError?)
    }

    /// What a child task of a pass finished: a POST, or a group of ledger rows written (or not).
    private enum Completion: Sendable {
        case post(Post, Ending)
        case ledger([DeliveryWrite], written: Bool)
    }

    /// Posts `posts` in queue order, at most `concurrency` at a time, a commit never before an
    /// earlier one of the same story; a commit a story of which is `blocked` (an earlier commit of
    /// it failed) waits for the next pass. The story cache then takes what the posts' answers say
    /// (see `cacheEntries`).
    private func post(_ posts: [Post], blocked initiallyBlocked: Set<Int64>, found: [Int64: StoryLookup],
                      into report: inout DeliveryReport, onEvent: @escaping @Sendable (DeliveryEvent) -> Void) async throws {
        var waiting = posts[...]
        var pending: [Post] = []
        var blocked = initiallyBlocked
        var busy = Set<Int64>()
        var stopProblem: String?
        var configurationProblem: String?
        var ledgerRows: [DeliveryWrite] = []
        var heldWrites: [DeliveryWrite] = []
        /// For each story posted to: the latest answer that named it, and the commits now on it.
        var answers: [Int64: String] = [:]
        var delivered: [Int64: Set<String>] = [:]
        var ended = 0
        if !posts.isEmpty { onProgress(0, posts.count) }

        try await withThrowingTaskGroup(of: Completion.self) { group in
            var running = 0
            var writing = false
            /// Writes a group of ledger rows in a task of its own, one group at a time, so that
            /// posting goes on while the rows go to the disk.
            func startLedgerWrite() {
                guard !writing, ledgerRows.count >= ledgerBatch else { return }
                let rows = ledgerRows
                ledgerRows = []
                writing = true
                let store = self.store
                group.addTask {
                    do {
                        try await store.write(rows)
                        return .ledger(rows, written: true)
                    } catch {
                        return .ledger(rows, written: false)
                    }
                }
            }
            /// Starts the commits that may start now, in queue order; holds back those whose story
            /// is blocked, and all of them once the pass must stop.
            func startReady() {
                pending.append(contentsOf: waiting)
                waiting = []
                var claimed = busy
                var still: [Post] = []
                for post in pending {
                    let stories = post.commit.stories
                    if let problem = stopProblem {
                        heldWrites.append(.failed(sha: post.commit.sha, error: problem))
                        report.undelivered[post.commit.sha] = problem
                        ended += 1
                        continue
                    }
                    if stories.contains(where: blocked.contains) {
                        let reason = "waits for an earlier commit of the same story"
                        heldWrites.append(.failed(sha: post.commit.sha, error: reason))
                        report.undelivered[post.commit.sha] = reason
                        onEvent(.held(sha: post.commit.sha, reason: reason, stories: stories))
                        blocked.formUnion(stories)
                        ended += 1
                        onProgress(ended, posts.count)
                        continue
                    }
                    if running < concurrency, !stories.contains(where: claimed.contains) {
                        running += 1
                        busy.formUnion(stories)
                        let api = self.api
                        let poster = post.commit.change.flatMap { authorAPIs[$0.authorEmail] } ?? api
                        group.addTask { .post(post, await Self.attempt(post, api: api, poster: poster)) }
                    } else {
                        still.append(post)
                    }
                    // A later commit of these stories waits for this one.
                    claimed.formUnion(stories)
                }
                pending = still
            }

            startReady()
            while let completion = try await group.next() {
                guard case .post(let post, let ending) = completion else {
                    if case .ledger(var rows, written: false) = completion {
                        // Each row alone, so that one row's problem is reported for it alone.
                        await writeLedger(&rows, into: &report)
                    }
                    writing = false
                    startLedgerWrite()
                    continue
                }
                running -= 1
                ended += 1
                onProgress(ended, posts.count)
                busy.subtract(post.commit.stories)
                let sha = post.commit.sha
                switch ending {
                case .delivered(let outcome, let response):
                    ledgerRows.append(.delivered(sha: sha, stories: post.commit.stories, outcome: outcome, response: response, at: now()))
                    for story in post.commit.stories {
                        delivered[story, default: []].insert(sha)
                        if let response { answers[story] = response }
                    }
                    if outcome == .posted { report.posted += 1 } else { report.alreadyOnTracker += 1 }
                    onEvent(.delivered(sha: sha, outcome: outcome))
                case .failed(let problem, let error):
                    report.undelivered[sha] = problem
                    blocked.formUnion(post.commit.stories)
                    if let error, error.isConfigurationProblem {
                        // Nothing is recorded from a server that is not Tracker; the pass ends with exit 2.
                        configurationProblem = configurationProblem ?? problem
                        stopProblem = stopProblem ?? problem
                    } else {
                        if let error, error.isAuthenticationFailure {
                            report.authenticationProblem = report.authenticationProblem ?? problem
                            stopProblem = stopProblem ?? problem
                        }
                        heldWrites.append(.failed(sha: sha, error: problem))
                        onEvent(.failed(sha: sha, problem: problem, stories: post.commit.stories))
                    }
                }
                startLedgerWrite()
                startReady()
            }
        }
        await writeLedger(&ledgerRows, into: &report)
        if configurationProblem == nil {
            try await store.write(heldWrites)
            // The cache only saves look-ups: a failure here costs the next dry run a request.
            try? await store.write(cacheEntries(found: found, answers: answers, delivered: delivered))
        }
        if let configurationProblem {
            throw CommitBridgeError.configuration(configurationProblem)
        }
    }

    /// The story-cache entries after a pass: each story posted to, in the state the latest answer
    /// naming it reports (Tracker answers a POST with the stories it changed), and with the commits
    /// now on it. A dry run right after a delivery then predicts from the state the delivery left,
    /// not from the one looked up before it. The answers are read here, once a story, rather than
    /// once a commit while posting.
    func cacheEntries(found: [Int64: StoryLookup], answers: [Int64: String], delivered: [Int64: Set<String>]) -> [DeliveryWrite] {
        delivered.keys.sorted().compactMap { story -> DeliveryWrite? in
            guard case .found(let looked, let identifiers, _)? = found[story] else { return nil }
            let record = answers[story].flatMap { PostAnswer.stories(in: $0).first { $0.id == story } } ?? looked
            return .cachedStory(id: story, lookup: .found(record, commitIdentifiers: identifiers.union(delivered[story] ?? [])), at: now())
        }
    }

    /// POSTs one commit with `poster` (its author's client, or `api`). The attempt was marked
    /// (durably) before the pass began posting.
    private static func attempt(_ post: Post, api: TrackerAPI, poster: TrackerAPI) async -> Ending {
        let sha = post.commit.sha
        let probe = post.probe
        do {
            let result = try await poster.postSourceCommit(post.commit.body) {
                // Before repeating a POST Tracker may have applied, ask Tracker whether it did.
                try await !api.commitIdentifiers(probe.projectID, probe.id).contains(sha)
            }
            switch result {
            case .posted(let response): return .delivered(.posted, response: response)
            case .alreadyApplied: return .delivered(.alreadyOnTracker, response: nil)
            }
        } catch let error as TrackerRequestError {
            return .failed(error.description, error)
        } catch {
            return .failed("\(error)", nil)
        }
    }

    /// Writes the ledger rows waiting in `rows` in one transaction, and empties it. When that
    /// transaction fails, each row is tried alone, so that one row's problem (a full disk, say) is
    /// reported for it alone; a row that cannot be written turns its commit back into an
    /// undelivered one, which the next pass finds among its stories' comments.
    func writeLedger(_ rows: inout [DeliveryWrite], into report: inout DeliveryReport) async {
        guard !rows.isEmpty else { return }
        defer { rows = [] }
        do {
            try await store.write(rows)
            return
        } catch {}
        for row in rows {
            do {
                try await store.write([row])
            } catch {
                guard case .delivered(let sha, _, let outcome, _, _) = row else { continue }
                let problem = "delivered, but the ledger could not record it (\(error)); "
                    + "the next run finds it among its stories' comments and does not post it again"
                try? await store.write([.failed(sha: sha, error: problem)])
                if outcome == .posted { report.posted -= 1 } else { report.alreadyOnTracker -= 1 }
                report.undelivered[sha] = problem
            }
        }
    }

    /// The last error a commit keeps while none of its stories exist.
    static func waitingLine(_ stories: [Int64]) -> String {
        let names = stories.map { "#\($0)" }.joined(separator: ", ")
        return "waits for \(stories.count == 1 ? "story" : "stories") \(names): not found on Tracker; "
            + "posted once \(stories.count == 1 ? "it exists" : "one exists") ('commitbridge flush --retry-missing' asks again now)"
    }
}

/// The result of one delivery pass over the queue.
public struct DeliveryReport: Sendable, Hashable {
    /// Commits posted to Tracker in this pass.
    public var posted = 0
    /// Commits found already on Tracker (a story's comment carries them): recorded, not posted.
    public var alreadyOnTracker = 0
    /// Commits whose change was delivered under another id (rebased, amended, cherry-picked), with
    /// that id: recorded, not posted.
    public var alreadyDelivered: [String: String] = [:]
    /// Commits none of whose stories exist on Tracker: not posted, still queued (not a failure).
    public var waitingForStories: [String] = []
    /// For each story not found on Tracker, how many of those commits name it.
    public var waitingCommitsByStory: [Int64: Int] = [:]
    /// Commits that failed or were held back, with the reason; they stay queued.
    public var undelivered: [String: String] = [:]
    /// Story look-ups that went to Tracker (cache misses).
    public var storyLookups = 0
    /// The first authentication failure, which stops the pass.
    public var authenticationProblem: String?
    /// For a replay, the walk of the range that filled the queue.
    public var walked: ReplaySummary?

    public init() {}

    /// Exit status: 1 when anything stays queued.
    public var allDelivered: Bool { undelivered.isEmpty && authenticationProblem == nil }

    /// One line for the commits that wait for stories, e.g. `stories not found on Tracker: #15
    /// (35 commits), #4 (10); …`; nil when none wait.
    public var waitingLine: String? {
        guard !waitingCommitsByStory.isEmpty else { return nil }
        let stories = waitingCommitsByStory.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let shown = stories.prefix(10).map { "#\($0.key) (\($0.value) commit\($0.value == 1 ? "" : "s"))" }
        let more = stories.count > 10 ? " and \(stories.count - 10) more" : ""
        return "stories not found on Tracker: \(shown.joined(separator: ", "))\(more); "
            + "their commits stay queued and are posted once a story exists ('commitbridge flush --retry-missing' asks again now)"
    }

    /// e.g. `delivered 12 commits (10 posted, 2 already on Tracker); 3 still queued …`.
    public var line: String {
        var text = "delivered \(posted + alreadyOnTracker) commit\(posted + alreadyOnTracker == 1 ? "" : "s") (\(posted) posted, \(alreadyOnTracker) already on Tracker)"
        if !alreadyDelivered.isEmpty {
            text += "; \(alreadyDelivered.count) already delivered as another commit (rewritten)"
        }
        if !waitingForStories.isEmpty {
            text += "; \(waitingForStories.count) wait\(waitingForStories.count == 1 ? "s" : "") in the queue for stories not found on Tracker"
        }
        if !undelivered.isEmpty { text += "; \(undelivered.count) still queued (run 'commitbridge flush' to retry)" }
        text += "; \(storyLookups) story look-up\(storyLookups == 1 ? "" : "s")"
        return text
    }
}

/// Commits moved into the configured tracker's queue from another tracker URL's queue.
struct TakenOverQueue: Sendable, Hashable {
    /// The identity of the tracker URL they were queued for.
    let tracker: String
    let count: Int

    /// e.g. `took over 3 commits queued for https://old.example/services/v5, which has delivered nothing`.
    var line: String {
        "took over \(count) commit\(count == 1 ? "" : "s") queued for \(tracker), which has delivered nothing"
    }
}

extension DeliveryService {
    /// One delivery pass over `store`'s queue for `configuration`, holding the state directory's
    /// delivery lock (so a hook's background delivery, `flush` and `replay` take turns).
    static func pass(_ store: any DeliveryStore, _ configuration: Configuration, events: @escaping EventSink) async throws -> DeliveryReport {
        defer { events(.delivery(.passEnded)) }
        let pacer = ProgressPacer(.delivery, events: events)
        let lock = try DeliveryLock(stateDirectory: configuration.stateDirectory.value)
        defer { withExtendedLifetime(lock) {} }
        let options = configuration.delivery
        return try await TrackerSession.with(configuration) { api in try await TrackerSession.withAuthors(configuration) { authors in
            var service = DeliveryService(store: store, api: api, cacheTimeToLive: options.cacheTimeToLive, concurrency: options.concurrency)
            service.authorAPIs = authors
            service.postRewritten = options.postRewritten
            service.onProgress = { done, total in pacer.report(done: done, total: total) }
            if let gitDirectory = configuration.gitDirectory, let repository = try? Repository.discover(at: gitDirectory) {
                let changes = LocalChanges(repository)
                service.localChange = { changes.change(of: $0) }
            }
            return try await service.deliverQueued(retryMissing: options.retryMissing) { events(.delivery($0)) }
        } }
    }
}

/// The changes of the commits a pass asks about, read from the repository once each: every
/// commit of a story is compared with every comment of it.
final class LocalChanges: @unchecked Sendable {
    // Unchecked: `known` is only touched with `lock` held; `Repository` serialises its own calls.
    private let repository: Repository
    private let lock = NSLock()
    private var known: [String: ChangeIdentity?] = [:]

    init(_ repository: Repository) {
        self.repository = repository
    }

    /// The change of commit `sha` (a full id: a comment's identifier is never read as a revision
    /// such as `HEAD`), or nil when the repository does not hold it.
    func change(of sha: String) -> ChangeIdentity? {
        guard sha.count == 40, sha.allSatisfy(\.isHexDigit), repository.hasCommit(sha) else { return nil }
        if let cached = lock.withLock({ known[sha] }) { return cached }
        let change = (try? repository.commit(sha)).map { CommitSnapshot($0).change }
        lock.withLock { known[sha] = change }
        return change
    }
}
