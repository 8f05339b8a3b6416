/// One story named by a commit message, with the strongest action the message asks for it.
public struct StoryReference: Sendable, Hashable {
    /// The Tracker story id (always > 0).
    public let story: Int64
    /// The strongest action any tag group naming this story asks for.
    public let action: StoryAction

    public init(story: Int64, action: StoryAction) {
        self.story = story
        self.action = action
    }
}
