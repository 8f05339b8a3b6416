/// What the parser found in one commit message.
public struct ParseResult: Sendable, Hashable {
    /// Each referenced story once, in order of first appearance, with its strongest action.
    public let references: [StoryReference]
    /// Human-readable warnings about near-miss tags. They never change what is posted.
    public let warnings: [String]
    /// The tag groups, in message order.
    public let groups: [TagGroup]

    public init(references: [StoryReference], warnings: [String], groups: [TagGroup]) {
        self.references = references
        self.warnings = warnings
        self.groups = groups
    }

    /// True when the message references no story and so is not posted.
    public var isEmpty: Bool { references.isEmpty }
}
