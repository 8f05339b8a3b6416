import Foundation

// Tracker's resources as the simulator shows them: stories, comments and projects.

/// A story as the simulator stores it and as `GET /stories/{id}` shows it.
///
/// Its JSON is Tracker's story object (`kind`, `id`, `project_id`, `name`, `story_type`,
/// `current_state`, `url`, `created_at`, `updated_at`). Decoding is lenient so that fixture files
/// may leave out everything but `id` and `project_id`.
public struct SimulatedStory: Codable, Sendable, Hashable {
    public let id: Int64
    public var projectID: Int64
    public var name: String
    public var storyType: TrackerStoryType
    public var currentState: TrackerStoryState
    public var url: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, projectID: Int64, name: String? = nil, storyType: TrackerStoryType = .feature,
                currentState: TrackerStoryState = .unstarted, url: String? = nil, createdAt: Date? = nil,
                updatedAt: Date? = nil) {
        self.id = id
        self.projectID = projectID
        self.name = name ?? "Story \(id)"
        self.storyType = storyType
        self.currentState = currentState
        self.url = url ?? Self.defaultURL(for: id)
        let created = createdAt ?? SimulatorClock.now()
        self.createdAt = created
        self.updatedAt = updatedAt ?? created
    }

    /// The URL a story gets when its fixture names none.
    public static func defaultURL(for id: Int64) -> String {
        "https://tracker.local/story/show/\(id)"
    }

    enum CodingKeys: String, CodingKey {
        case kind, id, name, url
        case projectID = "project_id"
        case storyType = "story_type"
        case currentState = "current_state"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int64.self, forKey: .id),
            projectID: try container.decode(Int64.self, forKey: .projectID),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            storyType: try container.decodeIfPresent(TrackerStoryType.self, forKey: .storyType) ?? .feature,
            currentState: try container.decodeIfPresent(TrackerStoryState.self, forKey: .currentState) ?? .unstarted,
            url: try container.decodeIfPresent(String.self, forKey: .url),
            createdAt: try container.decodeIfPresent(Date.self, forKey: .createdAt),
            updatedAt: try container.decodeIfPresent(Date.self, forKey: .updatedAt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("story", forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(projectID, forKey: .projectID)
        try container.encode(name, forKey: .name)
        try container.encode(storyType, forKey: .storyType)
        try container.encode(currentState, forKey: .currentState)
        try container.encode(url, forKey: .url)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// A comment a posted source commit left on a story, as Tracker's comments endpoint shows it.
public struct SimulatedComment: Codable, Sendable, Hashable {
    public let id: Int64
    public let storyID: Int64
    /// The commit message, then the commit URL on its own line when one was given.
    public let text: String
    /// The person whose token posted the commit.
    public let personID: Int64
    /// The posted `commit_id` (the commit's SHA).
    public let commitIdentifier: String
    /// Always `git`.
    public let commitType: String
    public let createdAt: Date

    public init(id: Int64, storyID: Int64, text: String, personID: Int64 = SimulatedPerson.defaultPerson.id,
                commitIdentifier: String, commitType: String = "git", createdAt: Date? = nil) {
        self.id = id
        self.storyID = storyID
        self.text = text
        self.personID = personID
        self.commitIdentifier = commitIdentifier
        self.commitType = commitType
        self.createdAt = createdAt ?? SimulatorClock.now()
    }

    enum CodingKeys: String, CodingKey {
        case kind, id, text
        case storyID = "story_id"
        case personID = "person_id"
        case commitIdentifier = "commit_identifier"
        case commitType = "commit_type"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int64.self, forKey: .id),
            storyID: try container.decode(Int64.self, forKey: .storyID),
            text: try container.decode(String.self, forKey: .text),
            personID: try container.decodeIfPresent(Int64.self, forKey: .personID) ?? SimulatedPerson.defaultPerson.id,
            commitIdentifier: try container.decode(String.self, forKey: .commitIdentifier),
            commitType: try container.decodeIfPresent(String.self, forKey: .commitType) ?? "git",
            createdAt: try container.decodeIfPresent(Date.self, forKey: .createdAt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("comment", forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(storyID, forKey: .storyID)
        try container.encode(text, forKey: .text)
        try container.encode(personID, forKey: .personID)
        try container.encode(commitIdentifier, forKey: .commitIdentifier)
        try container.encode(commitType, forKey: .commitType)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

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

/// A Tracker project the simulator knows about. Stories point at it through `project_id`.
public struct SimulatedProject: Codable, Sendable, Hashable {
    /// The project id.
    public let id: Int64
    /// The project's display name.
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}

/// The time stamps the simulator writes: whole seconds, as Tracker shows them, so that a state
/// file read back compares equal to the state that wrote it.
enum SimulatorClock {
    static func now() -> Date {
        Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    }
}
