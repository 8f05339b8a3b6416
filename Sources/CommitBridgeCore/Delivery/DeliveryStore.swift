

/// The state directory's durable memory: the ledger of delivered commits, the queue of waiting
/// ones, and the story cache. Every method is one transaction; implementations must be
/// safe to call from several tasks, and two processes sharing one store must not both take a commit.
public protocol DeliveryStore: Sendable {
    // MARK: Ledger

    /// Which of `shas` the ledger already holds.
    func deliveredSHAs(among shas: [String]) throws -> Set<String>
    /// How many commits the ledger holds.
    func ledgerCount() throws -> Int
    /// Moves a commit from the queue to the ledger, and records its sha among each story's known
    /// commit identifiers, in ONE transaction. A commit not in the queue is still recorded.
    func recordDelivered(sha: String, stories: [Int64], outcome: DeliveryOutcome, response: String?, at time: Double) throws

    // MARK: Queue

    /// Appends commits to the queue, oldest first, skipping any already queued or in the ledger.
    /// Returns how many were added.
    @discardableResult
    func enqueue(_ commits: [QueuedCommit]) throws -> Int
    /// The waiting commits, in queue order (oldest first).
    func queued() throws -> [QueuedCommit]
    /// Counts a POST attempt for `sha`, committed before the request is sent, so that after a crash
    /// the next run knows the commit may already be on Tracker.
    func markAttempt(sha: String, at time: Double) throws

    /// Performs `writes` in order in one transaction: all of them reach the disk, or none does.
    func perform(_ writes: [DeliveryWrite]) throws
    /// Keeps the commit queued with its last error (one line).
    func recordFailure(sha: String, error: String) throws
    /// Removes `shas` from the queue (those not queued are ignored), in one transaction.
    func removeFromQueue(_ shas: [String]) throws
    /// Marks queued commits as pushed, for delivery to take them.
    func releaseForDelivery(_ shas: [String]) throws
    /// Removes commits no branch holds any more from the queue, unposted, and counts them.
    func dropUnreachable(_ shas: [String]) throws
    /// How many commits `dropUnreachable` removed, in all.
    func droppedUnreachableCount() throws -> Int
    /// For each of the change keys a delivered commit carries: that commit.
    func deliveredChanges(_ keys: [String]) throws -> [String: String]
    /// The ledger row of a delivered commit.
    func ledgerEntry(_ sha: String) throws -> LedgerEntry?
    /// How many commits are waiting.
    func queueCount() throws -> Int
    /// The commit at the head of the queue (the oldest), if any.
    func oldestQueued() throws -> QueuedCommit?
    /// The error of the queued commit that failed most recently, or nil.
    func lastError() throws -> String?

    // MARK: Off the caller's thread
    //
    // A delivery runs on Swift's shared executor, which must never wait for the disk: these do the
    // same as their blocking counterparts on the store's own thread, suspending the caller meanwhile.

    /// `queued()`, suspending instead of blocking.
    func queuedCommits() async throws -> [QueuedCommit]
    /// `perform(_:)`, suspending instead of blocking.
    func write(_ writes: [DeliveryWrite]) async throws

    // MARK: Story cache

    /// A cached look-up no older than `maxAge` seconds at `now`, or nil (counts a hit or a miss).
    func cachedStory(_ id: Int64, maxAge: Double, now: Double) throws -> StoryLookup?
    /// `cachedStory` for several stories at once (one transaction where the store can): the fresh
    /// entries by id; each id counts a hit or a miss.
    func cachedStories(_ ids: [Int64], maxAge: Double, now: Double) throws -> [Int64: StoryLookup]
    /// Which of `ids` have a negative entry (Tracker said the story does not exist) no older than
    /// `maxAge` seconds at `now`. Counts no hit or miss: delivery reads the other stories afresh.
    func knownMissing(_ ids: [Int64], maxAge: Double, now: Double) throws -> Set<Int64>
    /// Stores a fresh look-up (replacing any older one), with its commit identifiers.
    func storeStory(_ id: Int64, lookup: StoryLookup, at time: Double) throws
    /// Cache counters for `status`.
    func cacheStatistics() throws -> CacheStatistics

    // MARK: Tracker

    /// The tracker this store belongs to (the identity of its URL), or nil before it was named.
    func tracker() throws -> String?
    /// Names the tracker this store belongs to, unless it has a name already.
    func nameTracker(_ identity: String) throws
}

extension DeliveryStore {
    /// One `cachedStory` call per id.
    public func cachedStories(_ ids: [Int64], maxAge: Double, now: Double) throws -> [Int64: StoryLookup] {
        var found: [Int64: StoryLookup] = [:]
        for id in ids {
            if let lookup = try cachedStory(id, maxAge: maxAge, now: now) { found[id] = lookup }
        }
        return found
    }
}

/// One of the durable writes of a delivery, as `DeliveryStore.perform(_:)` takes them in a batch.
/// A delivered commit, as the ledger keeps it.
public struct LedgerEntry: Sendable, Hashable {
    public let sha: String
    public let stories: [Int64]
    public let outcome: DeliveryOutcome
    /// Tracker's answer, or for `alreadyDelivered` the commit the change was delivered as.
    public let response: String?
    /// Seconds since 1970.
    public let deliveredAt: Double

    public init(sha: String, stories: [Int64], outcome: DeliveryOutcome, response: String?, deliveredAt: Double) {
        self.sha = sha
        self.stories = stories
        self.outcome = outcome
        self.response = response
        self.deliveredAt = deliveredAt
    }
}

public enum DeliveryWrite: Sendable, Equatable {
    /// Count a POST attempt (see `DeliveryStore.markAttempt`).
    case attempt(sha: String, at: Double)
    /// Move a commit from the queue to the ledger (see `DeliveryStore.recordDelivered`).
    case delivered(sha: String, stories: [Int64], outcome: DeliveryOutcome, response: String?, at: Double)
    /// Keep a commit queued with its last error (see `DeliveryStore.recordFailure`).
    case failed(sha: String, error: String)
    /// Replace a story's cache entry (see `DeliveryStore.storeStory`).
    case cachedStory(id: Int64, lookup: StoryLookup, at: Double)
}

/// Counters of the story cache, for `commitbridge status`.
public struct CacheStatistics: Sendable, Hashable {
    /// Stories cached (found or missing).
    public let entries: Int
    /// Look-ups answered from the cache, over the state directory's life.
    public let hits: Int
    /// Look-ups that had to ask Tracker.
    public let misses: Int

    public init(entries: Int, hits: Int, misses: Int) {
        self.entries = entries
        self.hits = hits
        self.misses = misses
    }

    /// hits / (hits + misses), or nil before the first look-up.
    public var hitRate: Double? {
        hits + misses == 0 ? nil : Double(hits) / Double(hits + misses)
    }
}
