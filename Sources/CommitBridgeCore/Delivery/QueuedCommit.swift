

/// A commit waiting in the state directory's queue to be posted.
public struct QueuedCommit: Sendable, Hashable {
    /// The full commit id; the queue's key.
    public let sha: String
    /// The stories the posted message references (Tracker will comment on each).
    public let stories: [Int64]
    /// The exact `POST /source_commits` body, serialized when the commit was queued.
    public let body: String
    /// Queue order: oldest first, as the commits were walked.
    public let position: Int64
    /// POST attempts started so far (incremented, and committed, before each request is sent).
    public let attempts: Int
    /// The last failure, one line, never containing the token.
    public let lastError: String?
    /// Seconds since 1970 when it was queued.
    public let enqueuedAt: Double
    /// The change it carries (nil for commits queued by versions that did not record it).
    public let change: ChangeIdentity?
    /// Queued on commit, to be posted once pushed: delivery leaves it until a remote-tracking
    /// branch holds it.
    public let awaitingPush: Bool

    public init(sha: String, stories: [Int64], body: String, position: Int64 = 0, attempts: Int = 0,
                lastError: String? = nil, enqueuedAt: Double, change: ChangeIdentity? = nil, awaitingPush: Bool = false) {
        self.change = change
        self.awaitingPush = awaitingPush
        self.sha = sha
        self.stories = stories
        self.body = body
        self.position = position
        self.attempts = attempts
        self.lastError = lastError
        self.enqueuedAt = enqueuedAt
    }
}

extension QueuedCommit {
    /// The queue entry for a planned commit: its stories and its exact request body.
    public init(planned: PlannedCommit, at time: Double, awaitingPush: Bool = false) {
        self.init(sha: planned.sha, stories: planned.references.map(\.story),
                  body: planned.payload.json.serialized(), enqueuedAt: time, change: planned.change,
                  awaitingPush: awaitingPush)
    }
}

/// How a commit left the queue; recorded in the ledger.
public enum DeliveryOutcome: String, Sendable, Hashable, CaseIterable {
    /// `POST /source_commits` succeeded.
    case posted
    /// A referenced story already had a comment for this commit: not posted again.
    case alreadyOnTracker = "already-on-tracker"
    /// The same change was delivered under another commit id (a rebase, amend or cherry-pick); the
    /// ledger row's response names that commit.
    case alreadyDelivered = "already-delivered"
}
