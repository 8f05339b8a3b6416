/// A `[` … `]` span of a commit message that holds at least one story reference.
public struct TagGroup: Sendable, Hashable {
    /// Byte offsets into the message's UTF-8 view, from the `[` up to and including the `]`.
    public let utf8Range: Range<Int>
    /// Story ids in the group, in order of appearance (duplicates kept).
    public let stories: [Int64]
    /// The group's action: deliver if it holds a deliver verb, else finish if a finish verb, else mention.
    public let action: StoryAction

    public init(utf8Range: Range<Int>, stories: [Int64], action: StoryAction) {
        self.utf8Range = utf8Range
        self.stories = stories
        self.action = action
    }
}
