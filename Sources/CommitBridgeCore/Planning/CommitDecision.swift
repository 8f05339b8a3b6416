/// What to do with one commit of a range.
public enum CommitDecision: Sendable, Hashable {
    case post(PlannedCommit)
    case skip(sha: String, reason: SkipReason, warnings: [String])
}
