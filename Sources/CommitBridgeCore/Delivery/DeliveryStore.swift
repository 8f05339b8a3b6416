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
