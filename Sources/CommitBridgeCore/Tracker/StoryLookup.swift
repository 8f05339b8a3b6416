/// The answer to "does story N exist, and which commits does it already carry?".
public enum StoryLookup: Sendable, Hashable {
    /// The story, and the `commit_identifier`s of its comments.
    case found(StoryRecord, commitIdentifiers: Set<String>)
    /// Tracker answered 404: the story does not exist (or the token cannot see it).
    case missing
}
