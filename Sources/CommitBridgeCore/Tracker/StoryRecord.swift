/// What commitbridge keeps of a Tracker story (from `GET /stories/{id}`).
public struct StoryRecord: Sendable, Hashable, Codable {
    public let id: Int64
    public let projectID: Int64
    public let type: StoryType
    public let state: StoryState
    public let name: String
    public let url: String?

    public init(id: Int64, projectID: Int64, type: StoryType, state: StoryState, name: String, url: String?) {
        self.id = id
        self.projectID = projectID
        self.type = type
        self.state = state
        self.name = name
        self.url = url
    }
}
