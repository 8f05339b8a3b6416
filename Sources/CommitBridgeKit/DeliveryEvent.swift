import CommitBridgeCore

/// Something that happened to one queued commit during delivery, for progress output.
public enum DeliveryEvent: Sendable, Hashable {
    case delivered(sha: String, outcome: DeliveryOutcome)
    case failed(sha: String, problem: String)
    case held(sha: String, reason: String)
}
