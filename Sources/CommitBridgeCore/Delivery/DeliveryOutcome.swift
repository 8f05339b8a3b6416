/// How a commit left the queue; recorded in the ledger.
public enum DeliveryOutcome: String, Sendable, Hashable, CaseIterable {
    /// `POST /source_commits` succeeded.
    case posted
    /// A referenced story already had a comment for this commit: not posted again.
    case alreadyOnTracker = "already-on-tracker"
}
