/// Why a commit is not posted.
public enum SkipReason: String, Sendable, Hashable, CaseIterable {
    /// A merge commit, and `--merges` was not given.
    case merge
    /// The message references no story.
    case untagged
}
