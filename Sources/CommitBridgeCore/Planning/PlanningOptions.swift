/// Choices that decide which commits are posted and how their messages are written.
public struct PlanningOptions: Sendable, Hashable {
    /// Post merge commits too (`--merges`). Off by default: merges repeat their branch's tags.
    public var includeMerges: Bool
    /// Keep state verbs in a revert's tag groups. Off by default: a revert must not move a story forward.
    public var keepRevertVerbs: Bool
    /// The comment length limit, in characters.
    public var messageLimit: Int

    public init(includeMerges: Bool = false, keepRevertVerbs: Bool = false, messageLimit: Int = MessageShortener.trackerCommentLimit) {
        self.includeMerges = includeMerges
        self.keepRevertVerbs = keepRevertVerbs
        self.messageLimit = messageLimit
    }
}
