import CommitBridgeCore

/// Something that happened to one queued commit during delivery, for progress output.
public enum DeliveryEvent: Sendable, Hashable {
    case delivered(sha: String, outcome: DeliveryOutcome)
    case failed(sha: String, problem: String)
    case held(sha: String, reason: String)
    /// None of the commit's stories exist on Tracker: it stays queued until one does.
    case waiting(sha: String, reason: String)
}
