/// One entry of `GET /__sim/stories`: the story object with a `comments` array added to it.
public struct StoryWithComments: Encodable, Sendable {
    public let story: SimulatedStory
    public let comments: [SimulatedComment]

    enum CodingKeys: String, CodingKey {
        case comments
    }

    public func encode(to encoder: any Encoder) throws {
        // The story's keys and `comments` share one JSON object.
        try story.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(comments, forKey: .comments)
    }
}
