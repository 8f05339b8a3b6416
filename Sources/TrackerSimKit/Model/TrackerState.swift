/// Everything the simulated Tracker holds: projects, stories, comments and the next comment id.
///
/// The JSON form is both the fixtures format and the `--state` file format:
/// `{"projects":[…],"stories":[…],"comments":[…],"next_comment_id":N}`. A fixtures file simply
/// leaves out `comments` and `next_comment_id`.
public struct TrackerState: Codable, Sendable, Equatable {
    public var projects: [SimulatedProject]
    /// Stories by id.
    public var stories: [Int64: SimulatedStory]
    /// Comments by story id, oldest first.
    public var comments: [Int64: [SimulatedComment]]
    /// The id the next comment gets.
    public var nextCommentID: Int64

    public init(projects: [SimulatedProject] = [], stories: [SimulatedStory] = [],
                comments: [SimulatedComment] = [], nextCommentID: Int64? = nil) throws {
        self.projects = projects
        self.stories = [:]
        for story in stories {
            guard self.stories.updateValue(story, forKey: story.id) == nil else {
                throw TrackerStateError.duplicateStory(story.id)
            }
        }
        self.comments = Dictionary(grouping: comments, by: \.storyID).mapValues { $0.sorted { $0.id < $1.id } }
        let highestComment = comments.map(\.id).max() ?? 0
        self.nextCommentID = max(nextCommentID ?? 1, highestComment + 1)
    }

    /// The empty state: no projects, no stories.
    public static var empty: TrackerState {
        // Cannot throw: there are no stories to collide.
        try! TrackerState()
    }

    /// The project auto-created stories go to: the first project, or a new project 1 when there is none.
    mutating func projectForNewStories() -> Int64 {
        if let first = projects.first { return first.id }
        let project = SimulatedProject(id: 1, name: "Simulated Project")
        projects.append(project)
        return project.id
    }

    enum CodingKeys: String, CodingKey {
        case projects, stories, comments
        case nextCommentID = "next_comment_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            projects: try container.decodeIfPresent([SimulatedProject].self, forKey: .projects) ?? [],
            stories: try container.decodeIfPresent([SimulatedStory].self, forKey: .stories) ?? [],
            comments: try container.decodeIfPresent([SimulatedComment].self, forKey: .comments) ?? [],
            nextCommentID: try container.decodeIfPresent(Int64.self, forKey: .nextCommentID)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(projects, forKey: .projects)
        try container.encode(stories.values.sorted { $0.id < $1.id }, forKey: .stories)
        try container.encode(comments.values.joined().sorted { $0.id < $1.id }, forKey: .comments)
        try container.encode(nextCommentID, forKey: .nextCommentID)
    }
}
